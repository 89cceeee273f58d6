import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { DbOrTx } from '../../../platform/db';
import { DEFAULT_PREDICTIVE, Forecaster } from '../engine/predictive';
import type { MetricsStore } from '../metrics/store';
import { targetShare } from './controller';
import type { TickRow } from './events.repo';
import { evidenceRepo, type SavedEvidence } from './evidence.repo';
import { eachLimited } from './limits';

/** A week and a day: the forecast's weekly term needs a week of levels before the day it reads. */
const HISTORY_DAYS = 8;
/** How far behind the stored ticks a forecaster may be caught up by skipping buckets; further, it is rebuilt. */
const CATCH_UP_SECONDS = 3600;
/** Stored histories read at once when forecasters are rebuilt (fewer when the pool is small). */
const HISTORY_READS = 4;
/** How often a forecaster's rule scores are saved: what a restart loses at most. */
const EVIDENCE_SAVE_SECONDS = 300;

/**
 * Feeds a new forecaster the cluster's latest history: one bucket per sync period from its first
 * stored minute until `now`, each at the mean rate of its minute, or skipped where no minute was
 * stored (the loop did not run), so the buckets a day and a week ago are where the forecast looks
 * for them.
 */
async function observeHistory(
  store: MetricsStore,
  forecaster: Forecaster,
  clusterId: string,
  now: Date,
  bucketSeconds: number,
) {
  const until = now.getTime();
  const minutes = await store.minuteRates(clusterId, new Date(until - HISTORY_DAYS * 86_400_000), now);
  const step = bucketSeconds * 1000;
  let i = 0;
  for (let at = minutes[0]?.at ?? until; at + step <= until; at += step) {
    while ((minutes[i + 1]?.at ?? Number.POSITIVE_INFINITY) <= at) i++;
    const minute = minutes[i] as { at: number; rate: number };
    if (at < minute.at + 60_000) forecaster.observe(minute.rate);
    else forecaster.skip();
  }
}

/** What the rule scores of a forecaster are of: its settings, and its rules with theirs (hashed). */
function evidenceSettings(key: string, f: Forecaster) {
  return `${key}/${createHash('sha256').update(f.ensemble.signature).digest('base64url').slice(0, 16)}`;
}

/**
 * The predictive clusters' forecasters this replica keeps between ticks. One it lacks — a restart, a
 * takeover, a settings change, or over an hour of ticks it did not see — is rebuilt from the
 * cluster's stored history, `perTick` at most per tick: a week of minutes costs ~30 ms of CPU and a
 * read each, and thousands at a takeover would stall the tick for minutes. Until its turn, a cluster
 * is decided by the HPA's rules. The rules' scores are saved every few minutes and a rebuild goes on
 * from them, so the rule the evidence chose survives a restart.
 */
export function createForecasters(
  db: DbOrTx,
  store: MetricsStore,
  log: Logger,
  syncSeconds: number,
  perTick: number,
) {
  /**
   * Each forecaster with the settings it was made for, the tick it last saw (null: none yet), what
   * its scores are of and when they were last saved (or restored).
   */
  const known = new Map<
    string,
    { forecaster: Forecaster; key: string; fedAt: number | null; evidence: string; savedAt: number }
  >();
  // The forecast is provisioned at the cluster's target, in units of a server's SLO capacity: a
  // change of either, or of the boot delay, makes a new forecaster.
  const keyOf = (row: TickRow) =>
    `${row.simulation.capacityRps}/${targetShare(row)}/${row.simulation.bootSeconds}`;
  const lastTick = (row: TickRow) => row.lastTickAt?.getTime() ?? null;
  /**
   * The cluster's forecaster if it is for its settings, brought up to the last stored tick: the
   * buckets of ticks it did not see (run by another replica, or in `hpa` mode) are skipped, so that
   * "a day ago" stays a day of buckets back; further behind than CATCH_UP_SECONDS, none. It moves
   * the forecaster: a second call for the same row finds it caught up and changes nothing.
   */
  const caughtUp = (row: TickRow) => {
    const k = known.get(row.id);
    if (!k || k.key !== keyOf(row)) return undefined;
    const last = lastTick(row);
    if (k.fedAt === last) return k;
    if (last === null || k.fedAt === null || last < k.fedAt) return undefined;
    const missed = Math.round((last - k.fedAt) / (syncSeconds * 1000));
    if (missed * syncSeconds > CATCH_UP_SECONDS) return undefined;
    for (let i = 0; i < missed; i++) k.forecaster.skip();
    k.fedAt = last;
    return k;
  };

  /** Scores saved after the tick at `savedAt`: the ticks after it until this one's were missed. */
  function restore(forecaster: Forecaster, saved: SavedEvidence, now: Date) {
    const gap = Math.round((now.getTime() - saved.savedAt.getTime()) / (syncSeconds * 1000));
    if (!forecaster.ensemble.restore(saved.evidence, Math.max(0, gap - 1)))
      log.warn(
        { clusterId: saved.clusterId },
        'autoscaler: saved rule scores are not usable; starting afresh',
      );
  }

  async function rebuild(row: TickRow, now: Date) {
    const forecaster = new Forecaster({
      ...DEFAULT_PREDICTIVE,
      bucketSeconds: syncSeconds,
      bootSeconds: row.simulation.bootSeconds,
      serverRps: row.simulation.capacityRps,
      targetUtilization: targetShare(row),
    });
    const key = keyOf(row);
    const evidence = evidenceSettings(key, forecaster);
    // A cluster that never ticked has neither stored minutes nor scores.
    if (row.lastTickAt)
      try {
        const [, saved] = await Promise.all([
          observeHistory(store, forecaster, row.id, now, syncSeconds),
          // The scores are a head start, not a need: without them the forecaster starts afresh.
          evidenceRepo.find(db, row.id).catch((err) => {
            log.warn({ err, clusterId: row.id }, 'autoscaler: saved rule scores could not be read');
            return undefined;
          }),
        ]);
        if (saved?.settings === evidence) restore(forecaster, saved, now);
      } catch (err) {
        // One cluster's failed read leaves it waiting for the next tick; the others' ticks go on.
        log.warn({ err, clusterId: row.id }, 'autoscaler: a forecaster could not be rebuilt');
        return;
      }
    known.set(row.id, { forecaster, key, fedAt: lastTick(row), evidence, savedAt: now.getTime() });
  }

  return {
    perTick,
    /**
     * The cluster's forecaster fed this tick's request rate (null: none was read, the bucket is
     * skipped as a rebuild would skip it), or undefined while it waits to be rebuilt.
     */
    feed(row: TickRow, now: Date, rate: number | null) {
      const k = caughtUp(row);
      if (!k) return undefined;
      if (rate === null) k.forecaster.skip();
      else {
        k.forecaster.observeTick(rate, syncSeconds);
        k.forecaster.observe(rate);
      }
      k.fedAt = now.getTime();
      return k.forecaster;
    },
    /**
     * Before a tick over `rows` (every cluster there is, `ids` theirs): drops the forecasters of
     * clusters that are gone and rebuilds up to `perTick` of the missing ones, `connections` history
     * reads at most at once. Those of clusters that never ticked read nothing: they are made at once,
     * beyond the bound, so a new cluster does not wait behind a takeover's rebuilds.
     */
    async prepare(rows: TickRow[], ids: Set<string>, now: Date, connections: number) {
      for (const id of known.keys()) if (!ids.has(id)) known.delete(id);
      const lacking = rows.filter((r) => r.mode === 'predictive' && !caughtUp(r));
      const stored = lacking.filter((r) => r.lastTickAt);
      for (const row of lacking) if (!row.lastTickAt) await rebuild(row, now);
      await eachLimited(stored.slice(0, perTick), Math.min(HISTORY_READS, connections), (row) =>
        rebuild(row, now),
      );
    },
    /**
     * After a tick: saves the rule scores of the forecasters it fed whose last save is
     * EVIDENCE_SAVE_SECONDS old; the row keeps the scores of the most syncs, so a replica that ran
     * fewer of the cluster's ticks does not overwrite those of one that ran more. A failed save is
     * logged and tried again at the next tick.
     */
    async save(now: Date) {
      const t = now.getTime();
      const due: Omit<SavedEvidence, 'savedAt'>[] = [];
      const saved: { savedAt: number }[] = [];
      for (const [clusterId, k] of known) {
        if (k.fedAt !== t || t - k.savedAt < EVIDENCE_SAVE_SECONDS * 1000) continue;
        const evidence = k.forecaster.ensemble.evidence();
        if (!evidence) continue;
        due.push({ clusterId, settings: k.evidence, evidence });
        saved.push(k);
      }
      if (due.length === 0) return;
      try {
        await evidenceRepo.save(db, now, due);
      } catch (err) {
        log.warn({ err, clusters: due.length }, 'autoscaler: rule scores could not be saved');
        return;
      }
      for (const k of saved) k.savedAt = t;
    },
  };
}
