import {
  CLUSTER_NAME_PATTERN,
  type TBehavior,
  type TCluster,
  type TClusterFaults,
  type TClusterListQuery,
  type TClusterSimulatorState,
  type TClusterUpdate,
  type TPage,
  type ZClusterCreate,
} from '@clockpilot/contracts';
import type { z } from 'zod';
import { type Actor, recordAudit } from '../../../platform/audit';
import type { Principal } from '../../../platform/auth';
import type { AppContext } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db';
import {
  AppError,
  type ConstraintTable,
  fromConstraint,
  notFound,
  unprocessable,
} from '../../../platform/errors';
import type { ClusterRow } from '../autoscaler.tables';
import { modelOf, type SimulatorClient, SimulatorError } from '../simulator-client';
import { toCluster } from './clusters.present';
import { clustersRepo as repo } from './clusters.repo';

type Create = z.output<typeof ZClusterCreate>;
type Shape = Pick<ClusterRow, 'name' | 'minServers' | 'maxServers' | 'fallback'>;

const CONSTRAINTS: ConstraintTable = {
  // 422 as the Autoscaler's contract has it for every unusable name, a taken one included.
  autoscaler_clusters_owner_name_key: {
    code: 'unprocessable',
    message: 'You already have a cluster with this name',
    path: 'body.name',
  },
};

/** One audit record of a cluster (`autoscaler.cluster.<what>`). */
const audit = (
  tx: DbOrTx,
  actor: Actor,
  what: string,
  id: string,
  change: { before?: unknown; after?: unknown },
) =>
  recordAudit(tx, actor, {
    action: `autoscaler.cluster.${what}`,
    entityType: 'autoscaler_cluster',
    entityId: id,
    ...change,
  });

const unavailable = (err: unknown) =>
  new AppError('unavailable', 'The load simulator did not answer; nothing was changed', {
    extra: { simulator: err instanceof Error ? err.message : String(err) },
  });

/** The model the simulator runs for a cluster, from the cluster's settings. */
/**
 * Clusters of their owner: the rules (name, bounds, quotas), the audit trail, and the cluster's model
 * in the simulator, which is changed inside the database transaction so that a refusal from either
 * side leaves both as they were.
 */
export function createClustersService(ctx: AppContext, simulator: SimulatorClient) {
  const { db, clock } = ctx;
  const limits = ctx.config.autoscaler;

  function checkShape(s: Shape) {
    if (!CLUSTER_NAME_PATTERN.test(s.name))
      throw unprocessable('body.name', 'A name has 3 to 50 letters, digits, "-" or "_"');
    if (s.minServers < 1) throw unprocessable('body.minServers', 'A cluster keeps at least 1 server');
    if (s.maxServers > limits.maxServers)
      throw unprocessable('body.maxServers', `A cluster has at most ${limits.maxServers} servers`);
    if (s.minServers > s.maxServers)
      throw unprocessable('body.minServers', 'The minimum must not be above the maximum');
    const fb = s.fallback?.replicas;
    if (fb !== undefined && (fb < s.minServers || fb > s.maxServers))
      throw unprocessable(
        'body.fallback.replicas',
        `The fallback count must lie between the minimum (${s.minServers}) and the maximum (${s.maxServers})`,
      );
  }

  /** Kubernetes discards rules without a policy as invalid; a missing list means its defaults. */
  function checkBehavior(b: TBehavior | null | undefined) {
    for (const d of ['scaleUp', 'scaleDown'] as const)
      if (b?.[d]?.policies?.length === 0)
        throw unprocessable(`body.behavior.${d}.policies`, 'At least one policy');
  }

  async function checkQuotas(
    tx: Parameters<typeof repo.usage>[0],
    ownerId: string,
    maxServers: number,
    except?: string,
  ) {
    await repo.lockOwner(tx, ownerId);
    const used = await repo.usage(tx, ownerId, except);
    if (!except && used.clusters >= limits.quotaClusters)
      throw unprocessable('body', `You may own at most ${limits.quotaClusters} clusters`);
    if (used.servers + maxServers > limits.quotaServers)
      throw unprocessable(
        'body.maxServers',
        `Your clusters may have at most ${limits.quotaServers} servers together (${used.servers} taken by the others)`,
      );
  }

  /** Runs a simulator call; its failure becomes a clean 503 (and rolls the transaction back). */
  async function sim<T>(fn: () => Promise<T>): Promise<T> {
    if (!simulator.configured)
      throw new AppError('unavailable', 'The autoscaler has no load simulator (SIMULATOR_URL is not set)');
    try {
      return await fn();
    } catch (err) {
      if (err instanceof SimulatorError) throw unavailable(err);
      throw err;
    }
  }

  async function owned(principal: Principal, id: string): Promise<ClusterRow> {
    const row = await repo.owned(db, principal.userId, id);
    if (!row) throw notFound('Cluster');
    return row;
  }

  async function write<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw fromConstraint(CONSTRAINTS, err);
    }
  }

  return {
    async list(principal: Principal, q: TClusterListQuery): Promise<TPage<TCluster>> {
      const page = await repo.page(db, { ownerId: principal.userId, q: q.q, mode: q.mode }, q);
      return { items: page.items.map(toCluster), nextCursor: page.nextCursor };
    },

    get: async (principal: Principal, id: string) => toCluster(await owned(principal, id)),

    async create(principal: Principal, input: Create, actor: Actor): Promise<TCluster> {
      checkShape(input);
      checkBehavior(input.behavior);
      const now = clock.now();
      let created: ClusterRow | undefined;
      try {
        return await write(() =>
          db.transaction(async (tx) => {
            await checkQuotas(tx, principal.userId, input.maxServers);
            const row = await repo.insert(tx, {
              ...input,
              ownerId: principal.userId,
              desiredServers: input.minServers,
              createdAt: now,
              updatedAt: now,
            });
            await audit(tx, actor, 'created', row.id, { after: row });
            created = row;
            await sim(() => simulator.put(row.id, modelOf(row)));
            return toCluster(row);
          }),
        );
      } catch (err) {
        // The model may exist (made, or asked for by a call that timed out) but the row did not
        // commit: take the model away again.
        if (created) await simulator.remove(created.id).catch(() => undefined);
        throw err;
      }
    },

    async update(principal: Principal, id: string, patch: TClusterUpdate, actor: Actor): Promise<TCluster> {
      let before: ClusterRow | undefined;
      let asked = false;
      try {
        return await write(() =>
          db.transaction(async (tx) => {
            before = await repo.owned(tx, principal.userId, id, true);
            if (!before) throw notFound('Cluster');
            const { simulation, ...rest } = patch;
            const next = { ...before, ...rest, simulation: { ...before.simulation, ...simulation } };
            checkShape(next);
            checkBehavior(patch.behavior);
            if (patch.maxServers !== undefined) await checkQuotas(tx, principal.userId, next.maxServers, id);
            const desiredServers = Math.min(
              next.maxServers,
              Math.max(next.minServers, before.desiredServers),
            );
            const { breaker: _b, controller: _c, lastTickAt: _t, ...settings } = next;
            const after = await repo.update(tx, id, { ...settings, desiredServers, updatedAt: clock.now() });
            await audit(tx, actor, 'updated', id, { before, after });
            // A change the model does not see (name, mode, target, behavior) needs no simulator.
            const model = modelOf(after);
            if (JSON.stringify(model) !== JSON.stringify(modelOf(before))) {
              asked = true;
              await sim(() => simulator.put(id, model));
            }
            return toCluster(after);
          }),
        );
      } catch (err) {
        // The row did not change, but the model may have (a simulator that answered too late, a
        // commit that failed): put it back as the row still says.
        if (asked && before) await simulator.put(id, modelOf(before)).catch(() => undefined);
        throw err;
      }
    },

    async remove(principal: Principal, id: string, actor: Actor): Promise<void> {
      await db.transaction(async (tx) => {
        const before = await repo.owned(tx, principal.userId, id, true);
        if (!before) throw notFound('Cluster');
        await repo.remove(tx, id);
        await audit(tx, actor, 'deleted', id, { before });
        await sim(() => simulator.remove(id));
      });
    },

    /** The simulator's view of the owner's cluster: its simulated time and active faults. */
    async simulatorState(principal: Principal, id: string): Promise<TClusterSimulatorState> {
      await owned(principal, id);
      return sim(() => simulator.state(id));
    },

    async injectFaults(principal: Principal, id: string, faults: TClusterFaults, actor: Actor) {
      await owned(principal, id);
      const state = await sim(() => simulator.faults(id, faults));
      await audit(db, actor, 'faults', id, { after: faults });
      return state;
    },

    async clearFaults(principal: Principal, id: string, actor: Actor) {
      await owned(principal, id);
      const state = await sim(() => simulator.clearFaults(id));
      await audit(db, actor, 'faults-cleared', id, {});
      return state;
    },
  };
}
export type ClustersService = ReturnType<typeof createClustersService>;
