import type { DbOrTx } from '../../../platform/db';
import { loopRepo as repo, type TickRow } from './events.repo';

/**
 * The cluster rows a tick decides on, kept between ticks with their versions: a tick reads every
 * cluster's id and version, and whole rows only where the version is not the one it holds (a new
 * cluster, a settings change, a tick of another replica). Reading and parsing 10,000 whole rows
 * (five JSON columns each) every tick was a share of the tick; a row the tick saved itself is held as
 * it saved it, with the version its update gave it.
 */
export function createTickRows(db: DbOrTx) {
  let held = new Map<string, { row: TickRow; version: string }>();
  return {
    /** Every cluster's current row with the version it was read at. */
    async read(): Promise<{ row: TickRow; version: string }[]> {
      const versions = await repo.versions(db);
      const stale = new Set(versions.filter((v) => held.get(v.id)?.version !== v.version).map((v) => v.id));
      const next = new Map<string, { row: TickRow; version: string }>();
      for (const { version, ...row } of await repo.clusters(db, [...stale]))
        next.set(row.id, { row, version });
      const rows: { row: TickRow; version: string }[] = [];
      for (const { id } of versions) {
        // A stale row deleted between the two reads is left out, not decided on as it was held.
        const r = next.get(id) ?? (stale.has(id) ? undefined : held.get(id));
        if (!r) continue;
        next.set(id, r);
        rows.push(r);
      }
      held = next;
      return rows;
    },
    /** The row as the tick saved it, at the version its update gave it; null: written by another meanwhile, read again next tick. */
    saved(row: TickRow, version: string | null) {
      if (version === null) held.delete(row.id);
      else held.set(row.id, { row, version });
    },
  };
}
