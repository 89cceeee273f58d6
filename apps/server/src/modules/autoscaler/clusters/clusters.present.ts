import type { TCluster } from '@clockpilot/contracts';
import type { ClusterRow } from '../autoscaler.tables';

export function toCluster(row: ClusterRow): TCluster {
  return {
    id: row.id,
    name: row.name,
    minServers: row.minServers,
    maxServers: row.maxServers,
    target: row.target,
    mode: row.mode,
    behavior: row.behavior as TCluster['behavior'],
    fallback: row.fallback ?? null,
    simulation: row.simulation,
    desiredServers: row.desiredServers,
    breaker: row.breaker,
    lastTickAt: row.lastTickAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
