import { sql } from 'drizzle-orm';
import type { Db } from './db';
import { pgErrorOf } from './errors';

const DAY_MS = 86_400_000;
/** Partitions kept ready ahead of today, so a write never waits for DDL. */
const DAYS_AHEAD = 3;
const LOCK_TIMEOUT = sql.raw(`set local lock_timeout = '2s'`);

const startOfDay = (d: Date) => new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);

/**
 * A table partitioned by range on a timestamptz, one partition per UTC day named `<table>_YYYYMMDD`:
 * made ahead by a job and on demand by a write that finds none, dropped whole once wholly past the
 * retention (no vacuum debt). `table` is the code's own name, never input: it goes into DDL as is.
 */
export function dayPartitions(db: Db, table: string, retentionDays: number) {
  const nameOf = (day: Date) => `${table}_${day.toISOString().slice(0, 10).replace(/-/g, '')}`;
  const named = new RegExp(`^${table}_(\\d{4})(\\d{2})(\\d{2})$`);
  const dayOf = (name: string) => {
    const m = named.exec(name);
    return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) : null;
  };

  /** Creates the partitions of `days` days from `from`'s; one creator at a time across replicas. */
  async function ensure(from: Date, days: number) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${table} partitions`}))`);
      // DDL on a partition locks the parent: never queue the table's writers behind a long reader.
      await tx.execute(LOCK_TIMEOUT);
      for (let i = 0; i < days; i++) {
        const day = new Date(startOfDay(from).getTime() + i * DAY_MS);
        const next = new Date(day.getTime() + DAY_MS);
        await tx.execute(
          sql.raw(
            `create table if not exists ${nameOf(day)} partition of ${table} ` +
              `for values from ('${day.toISOString()}') to ('${next.toISOString()}')`,
          ),
        );
      }
    });
  }

  /** The day partitions there are, oldest first. */
  async function list(): Promise<{ name: string; day: Date }[]> {
    const rows = await db.execute<{ name: string }>(
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = ${table}::regclass order by 1`,
    );
    return (rows.rows as { name: string }[]).flatMap(({ name }) => {
      const day = dayOf(name);
      return day ? [{ name, day }] : [];
    });
  }

  /** The day whose partition this process last made sure of (a write at `ready` needs no DDL). */
  let readyDay = Number.NaN;

  return {
    /**
     * Makes sure the partition of `now`'s day is there, once per day and process: for writes in a
     * transaction that must not fail half-way for want of a partition.
     */
    async ready(now: Date) {
      const day = startOfDay(now).getTime();
      if (day === readyDay) return;
      await ensure(new Date(day), 1);
      readyDay = day;
    },

    /**
     * Runs a write (a whole transaction); when a row found no partition for its day (the job has not
     * run yet, or a clock far ahead), makes the partitions of the rows' `times` and runs it once more.
     */
    async write<T>(write: () => Promise<T>, times: () => Date[]): Promise<T> {
      try {
        return await write();
      } catch (err) {
        if (pgErrorOf(err).code !== '23514') throw err;
        const days = new Set(times().map((t) => startOfDay(t).getTime()));
        for (const day of days) await ensure(new Date(day), 1);
        return write();
      }
    },

    /** Yesterday's, today's and the next days' partitions (yesterday: a replica's clock a little behind). */
    prepare: (now: Date) => ensure(new Date(now.getTime() - DAY_MS), DAYS_AHEAD + 2),

    /** Drops the partitions of the days wholly older than the retention; answers their names. */
    async retain(now: Date): Promise<string[]> {
      const keepFrom = now.getTime() - retentionDays * DAY_MS;
      const dropped: string[] = [];
      for (const p of await list()) {
        if (p.day.getTime() + DAY_MS > keepFrom) continue;
        try {
          await db.transaction(async (tx) => {
            await tx.execute(LOCK_TIMEOUT);
            await tx.execute(sql.raw(`drop table if exists ${p.name}`));
          });
        } catch (err) {
          // A reader (a backup, a long page) holds the day: the next run drops it.
          if (pgErrorOf(err).code === '55P03') continue;
          throw err;
        }
        dropped.push(p.name);
        if (p.day.getTime() === readyDay) readyDay = Number.NaN;
      }
      return dropped;
    },
  };
}
export type DayPartitions = ReturnType<typeof dayPartitions>;
