import type { TAutoscalerEvent } from '@clockpilot/contracts/autoscaler';
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { clusterKeys } from './api';
import { addEvent } from './live-events';

const clusterId = '00000000-0000-4000-8000-000000000001';
const event = (id: string, previousServers: number, appliedServers: number): TAutoscalerEvent => ({
  id,
  clusterId,
  at: `2026-11-28T03:00:0${id}Z`,
  mode: 'hpa',
  previousServers,
  recommendedServers: appliedServers,
  appliedServers,
  limitedBy: 'metric',
  reason: 'r',
  breaker: 'closed',
  inputs: {},
});
const recentKey = [...clusterKeys.events(clusterId), 'recent'];
const changesKey = [...clusterKeys.events(clusterId), { changesOnly: 'true' }];
const allKey = [...clusterKeys.events(clusterId), {}];
const page = (items: TAutoscalerEvent[]) => ({
  pages: [{ items, nextCursor: 'c' }],
  pageParams: [undefined],
});

function loaded() {
  const qc = new QueryClient();
  const older = event('1', 1, 2);
  qc.setQueryData(recentKey, { items: [older] });
  qc.setQueryData(changesKey, page([older]));
  qc.setQueryData(allKey, page([older]));
  return qc;
}
const ids = (qc: QueryClient) => ({
  recent: qc.getQueryData<{ items: TAutoscalerEvent[] }>(recentKey)?.items.map((e) => e.id),
  changes: qc.getQueryData<ReturnType<typeof page>>(changesKey)?.pages[0]?.items.map((e) => e.id),
  all: qc.getQueryData<ReturnType<typeof page>>(allKey)?.pages[0]?.items.map((e) => e.id),
});

describe('the subscribe answer’s event', () => {
  it('goes first into every loaded list of events, once', () => {
    const qc = loaded();
    addEvent(qc, clusterId, event('2', 2, 3));
    addEvent(qc, clusterId, event('2', 2, 3));
    expect(ids(qc)).toEqual({ recent: ['2', '1'], changes: ['2', '1'], all: ['2', '1'] });
    expect(qc.isFetching()).toBe(0);
  });

  it('stays out of the lists of changes when it changed nothing', () => {
    const qc = loaded();
    addEvent(qc, clusterId, event('2', 2, 2));
    expect(ids(qc)).toEqual({ recent: ['1'], changes: ['1'], all: ['2', '1'] });
  });
});
