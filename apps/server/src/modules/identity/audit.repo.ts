import { and, eq, gte, lt, type SQL } from 'drizzle-orm';
import { auditEvents } from '../../platform/audit';
import type { DbOrTx } from '../../platform/db';
import type { SortKey } from '../../platform/pagination';
import type { PageSpec } from './identity.repo';
import { users } from './identity.tables';

export type AuditFilter = {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
};

/** Newest first; the id breaks ties between events of the same microsecond. */
export const AUDIT_KEYSET = {
  sorts: { occurredAt: { expr: auditEvents.occurredAt, type: 'timestamptz' } } satisfies Record<
    string,
    SortKey
  >,
  id: auditEvents.id,
};

/** Reads the platform's audit trail (writes go through platform/audit.ts recordAudit). */
export const auditRepo = {
  async list(db: DbOrTx, f: AuditFilter, page: PageSpec) {
    const where: Array<SQL | undefined> = [
      page.where,
      f.actor ? eq(auditEvents.actorId, f.actor) : undefined,
      f.action ? eq(auditEvents.action, f.action) : undefined,
      f.entityType ? eq(auditEvents.entityType, f.entityType) : undefined,
      f.entityId ? eq(auditEvents.entityId, f.entityId) : undefined,
      f.from ? gte(auditEvents.occurredAt, f.from) : undefined,
      f.to ? lt(auditEvents.occurredAt, f.to) : undefined,
    ];
    return db
      .select({ event: auditEvents, actorName: users.displayName, _k: page.key })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.actorId))
      .where(and(...where))
      .orderBy(...page.orderBy)
      .limit(page.fetch);
  },
};
