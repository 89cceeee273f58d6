import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type SQL, sql } from 'drizzle-orm';
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

/** A before or after that is already JSON text (made for the answer too): written as it is. */
export class SerialisedJson {
  constructor(readonly text: string) {}
}
const jsonText = (v: unknown) => (v instanceof SerialisedJson ? v.text : JSON.stringify(v ?? null));

const AUDIT_LOG = Symbol('audit log');
const PENDING = Symbol('audit lines of the transaction');
/**
 * A transaction's audit records waiting for its commit, as the JSON lines they were written with;
 * past SPILL_AT lines they go to a private temporary file, so a 100,000-row import keeps a bounded
 * number of them in memory (all of them, as objects, were most of its heap).
 */
type Pending = { log: Logger; lines: string[]; spill?: string };
const SPILL_AT = 5000;
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
          const batch: Pending = { log, lines: [] };
          try {
            const result = await target.transaction((tx) => fn(carrying(tx, batch)), config);
            await logPending(batch);
            return result;
          } finally {
            if (batch.spill) await rm(batch.spill, { force: true });
          }
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

/** Logs a pending line: the actor's fields and the record's, as `recordAudits` wrote them. */
function logLine(log: Logger, line: string) {
  const [[actorId, actorLabel, ip, userAgent, requestId], [action, entityType, entityId, before, after]] =
    JSON.parse(line) as [unknown[], [string, ...unknown[]]];
  log.info(
    { actorId, actorLabel, action, entityType, entityId, before, after, ip, userAgent, requestId },
    action,
  );
}

async function keep(batch: Pending, lines: string[]) {
  batch.lines.push(...lines);
  if (batch.lines.length < SPILL_AT) return;
  batch.spill ??= join(tmpdir(), `clockpilot-audit-${randomUUID()}.jsonl`);
  await appendFile(batch.spill, `${batch.lines.join('\n')}\n`, { mode: 0o600 });
  batch.lines = [];
}

async function logPending(batch: Pending) {
  if (batch.spill) {
    const lines = createInterface({ input: createReadStream(batch.spill), crlfDelay: Infinity });
    for await (const line of lines) if (line) logLine(batch.log, line);
  }
  for (const line of batch.lines) logLine(batch.log, line);
}

/**
 * Data-modifying CTEs (`name as (insert …)`) run in the audit record's statement, one round trip
 * fewer; they get the (first) record's `after` as a jsonb expression, so that they can store part of
 * it without sending it twice.
 */
export type AuditAlong = (after: SQL) => SQL;

/**
 * Writes one audit record; pass the transaction of the change so both commit or neither does.
 * `along`: CTEs run in the same statement (`AuditAlong`).
 */
export async function recordAudit(
  tx: DbOrTx,
  actor: Actor,
  record: AuditRecord,
  along?: AuditAlong,
): Promise<void> {
  await recordAudits(tx, actor, [record], along);
}

/**
 * Writes many audit records of one actor (a bulk import) from one JSON parameter per 1,000: building
 * a 10,000-parameter insert cost the 100,000-row people import more CPU than anything else. Each
 * record is serialised once, as an array of its own fields, for the insert and the audit log alike;
 * the actor's fields, the same for every record, are sent once per statement (the database's CPU
 * per record fell by a fifth against a JSON object per record with every field). `along` runs with
 * the first batch, as in `recordAudit`.
 */
export async function recordAudits(
  tx: DbOrTx,
  actor: Actor,
  records: AuditRecord[],
  along?: AuditAlong,
): Promise<void> {
  const lines = records.map(
    (r) =>
      `[${JSON.stringify(r.action)},${JSON.stringify(r.entityType)},${JSON.stringify(r.entityId ?? null)},${jsonText(r.before)},${jsonText(r.after)}]`,
  );
  const { userId, label, ip, userAgent, requestId } = actor;
  for (let i = 0; i < lines.length; i += 1000) {
    // A JSON null in a jsonb column is not SQL null: nullif keeps "no before/after" what it was.
    const ctes = i > 0 || !along ? sql`` : sql`, ${along(sql`(select r->4 from audit_lines where n = 1)`)}`;
    await tx.execute(sql`
      with audit_lines as (select r, n from jsonb_array_elements(${`[${lines.slice(i, i + 1000).join(',')}]`}::jsonb) with ordinality u(r, n))${ctes}
      insert into audit_events (actor_id, actor_label, action, entity_type, entity_id, before, after, ip, user_agent, request_id)
      select ${userId}::uuid, ${label ?? null}, r->>0, r->>1, r->>2, nullif(r->3, 'null'), nullif(r->4, 'null'),
             ${ip ?? null}, ${userAgent ?? null}, ${requestId ?? null}
        from audit_lines`);
  }
  const carrier = tx as Carrier;
  const batch = carrier[PENDING];
  const log = batch?.log ?? carrier[AUDIT_LOG];
  // Nothing is kept for a channel that would drop the lines (LOG_LEVEL above info).
  if (!log?.isLevelEnabled('info')) return;
  const who = JSON.stringify([userId, label ?? null, ip ?? null, userAgent ?? null, requestId ?? null]);
  const logged = lines.map((line) => `[${who},${line}]`);
  if (batch) await keep(batch, logged);
  else for (const line of logged) logLine(log, line);
}
