import { sql } from 'drizzle-orm';
import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Db, DbOrTx } from './db';

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

const AUDIT_LOG = Symbol('audit log');
const PENDING = Symbol('audit lines of the transaction');
type Pending = { log: Logger; rows: Array<ReturnType<typeof auditValues>> };
type Carrier = { [AUDIT_LOG]?: Logger; [PENDING]?: Pending };
type Transactional = Pick<Db, 'transaction'>;

/**
 * The database handle whose audit records also reach the audit log channel (LOG_DIR/audit.log):
 * a transaction's records are logged once it commits, so a rolled-back change leaves no line.
 * (A savepoint rolled back inside a transaction that commits still logs its records.) The lines wait
 * on the transaction handle itself, not in an AsyncLocalStorage: on Node 20 its first use turns on
 * promise hooks for the rest of the process, which every request then paid for.
 */
export function withAuditLog(db: Db, log: Logger): Db {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === AUDIT_LOG) return log;
      if (prop === 'transaction') {
        return async (...[fn, config]: Parameters<Db['transaction']>) => {
          const batch: Pending = { log, rows: [] };
          const result = await target.transaction((tx) => fn(carrying(tx, batch)), config);
          logAudits(log, batch.rows);
          return result;
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A transaction (or savepoint) handle that holds its outermost transaction's pending lines. */
function carrying<T extends Transactional>(tx: T, batch: Pending): T {
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === PENDING) return batch;
      if (prop === 'transaction') {
        return (...[fn, config]: Parameters<T['transaction']>) =>
          target.transaction((inner) => fn(carrying(inner, batch)), config);
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function logAudits(log: Logger, rows: Pending['rows']) {
  for (const row of rows) log.info(row, row.action);
}

/** Writes one audit record; pass the transaction of the change so both commit or neither does. */
export async function recordAudit(tx: DbOrTx, actor: Actor, record: AuditRecord): Promise<void> {
  await recordAudits(tx, actor, [record]);
}

/**
 * Writes many audit records of one actor (a bulk import) from one JSON parameter per 1,000: building
 * a 10,000-parameter insert cost the 100,000-row people import more CPU than anything else.
 */
export async function recordAudits(tx: DbOrTx, actor: Actor, records: AuditRecord[]): Promise<void> {
  const rows = records.map((record) => auditValues(actor, record));
  for (let i = 0; i < rows.length; i += 1000) {
    // A JSON null in a jsonb column is not SQL null: nullif keeps "no before/after" what it was.
    await tx.execute(sql`
      insert into audit_events (actor_id, actor_label, action, entity_type, entity_id, before, after, ip, user_agent, request_id)
      select "actorId", "actorLabel", action, "entityType", "entityId", nullif(before, 'null'), nullif(after, 'null'),
             ip, "userAgent", "requestId"
        from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 1000))}::jsonb) as r(
          "actorId" uuid, "actorLabel" text, action text, "entityType" text, "entityId" text,
          before jsonb, after jsonb, ip text, "userAgent" text, "requestId" text)`);
  }
  const carrier = tx as Carrier;
  const batch = carrier[PENDING];
  if (batch) batch.rows.push(...rows);
  else if (carrier[AUDIT_LOG]) logAudits(carrier[AUDIT_LOG], rows);
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
