import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from './db';
import type { DeadLetter, Engine, Queue, Wake } from './jobs';

const SCHEMA = 'pgboss';
const QUEUES_LOCK = 'clockpilot.jobs.queues';
const deadQueue = (name: string) => `${name}.dead`;

/** The message of a failed job's output: ours ({ message }) or pg-boss's expiry ({ value: { message } }). */
function errorText(output: unknown): string {
  const o = output as { message?: string; value?: { message?: string } } | null;
  return o?.message ?? o?.value?.message ?? JSON.stringify(output);
}

/**
 * pg-boss 10 in its own schema, over the app's pool. Our workers fetch and complete jobs themselves
 * (rather than `boss.work`) so each run gets an AbortSignal and every write is awaited; pg-boss does
 * the storage, retries with backoff, dead-letter queues, cron, expiry of abandoned runs and clean-up.
 */
export function pgBossEngine(database: Database, log: Logger, wake: Wake): Engine {
  const { executeSql } = database;
  if (!executeSql) throw new Error('pg-boss needs a PostgreSQL database');
  const boss = new PgBoss({ db: { executeSql }, schema: SCHEMA });
  // Maintenance and cron failures arrive as 'error' events; without a listener they would crash.
  boss.on('error', (err) => log.error({ err }, 'pg-boss error'));

  async function createQueue(queue: Queue) {
    await boss.createQueue(deadQueue(queue.name));
    const options = {
      name: queue.name,
      retryLimit: queue.retryLimit,
      retryDelay: queue.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: queue.expireInSeconds,
      deadLetter: deadQueue(queue.name),
    };
    // createQueue leaves an existing queue as it was; updateQueue applies settings changed since.
    await boss.createQueue(queue.name, options);
    await boss.updateQueue(queue.name, options);
    if (queue.cron) await boss.schedule(queue.name, queue.cron, undefined, { tz: 'UTC' });
    else await boss.unschedule(queue.name);
  }

  return {
    async start(queues) {
      await boss.start();
      // Replicas booting together deadlock creating queue partitions; one at a time, they don't.
      await database.withSession(async (session) => {
        await session.query('select pg_advisory_lock(hashtext($1))', [QUEUES_LOCK]);
        try {
          for (const queue of queues) await createQueue(queue);
        } finally {
          await session.query('select pg_advisory_unlock(hashtext($1))', [QUEUES_LOCK]);
        }
      });
    },

    async send(name, data, opts) {
      // As JSON text, any JSON value (a bare string too) lands in the jsonb column unchanged.
      const id = await boss.send(name, JSON.stringify(data) as unknown as object, {
        startAfter: opts.startAfterSeconds,
        singletonSeconds: opts.singletonSeconds,
        singletonKey: opts.singletonKey,
      });
      if (id) wake(name);
      return id;
    },

    async claim(name) {
      const [job] = await boss.fetch<unknown>(name, { includeMetadata: true });
      if (!job) return null;
      return {
        id: job.id,
        data: job.data,
        attempt: job.retryCount + 1,
        retryLimit: job.retryLimit,
        // node-postgres returns the numeric EXTRACT as a string
        expireInSeconds: Number(job.expireInSeconds),
      };
    },

    async complete(name, id) {
      await boss.complete(name, id);
    },

    async fail(name, job, error) {
      await boss.fail(name, job.id, { name: error.name, message: error.message, stack: error.stack });
    },

    async deadLetters(name, limit) {
      const { rows } = await executeSql(
        `select id, data, output, created_on from ${SCHEMA}.job where name = $1 order by created_on desc limit $2`,
        [deadQueue(name), limit],
      );
      return (rows as Array<{ id: string; data: unknown; output: unknown; created_on: Date }>).map(
        (row): DeadLetter => ({
          id: row.id,
          data: row.data,
          error: errorText(row.output),
          failedAt: row.created_on,
        }),
      );
    },

    async stop() {
      // Our workers have drained by now; this stops pg-boss's maintenance and cron timers.
      await boss.stop({ graceful: false, close: false });
    },
  };
}
