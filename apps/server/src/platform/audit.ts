import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { FastifyRequest } from 'fastify';
import type { DbOrTx } from './db';

export const auditEvents = pgTable('audit_events', {
  id: uuid('id').primaryKey().defaultRandom(),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  actorId: uuid('actor_id'),
  actorLabel: text('actor_label'),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id'),
  before: jsonb('before'),
  after: jsonb('after'),
  ip: text('ip'),
  userAgent: text('user_agent'),
  requestId: text('request_id'),
});

/** Who did it and from where; built once per request and handed to services. */
export type Actor = {
  userId: string | null;
  label?: string;
  ip?: string;
  userAgent?: string;
  requestId?: string;
};

export function actorOf(request: FastifyRequest): Actor {
  return {
    userId: request.principal?.userId ?? null,
    ip: request.ip,
    userAgent: request.headers['user-agent']?.slice(0, 500),
    requestId: String(request.id),
  };
}

export type AuditRecord = {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
};

/** Writes one audit record; pass the transaction of the change so both commit or neither does. */
export async function recordAudit(tx: DbOrTx, actor: Actor, record: AuditRecord): Promise<void> {
  await recordAudits(tx, actor, [record]);
}

/** Writes many audit records of one actor (a bulk import), a thousand per statement. */
export async function recordAudits(tx: DbOrTx, actor: Actor, records: AuditRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 1000)
    await tx
      .insert(auditEvents)
      .values(records.slice(i, i + 1000).map((record) => auditValues(actor, record)));
}

function auditValues(actor: Actor, record: AuditRecord) {
  return {
    actorId: actor.userId,
    actorLabel: actor.label ?? null,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId ?? null,
    before: record.before ?? null,
    after: record.after ?? null,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent ?? null,
    requestId: actor.requestId ?? null,
  };
}
