import type { TLiveServerMessage } from '@clockpilot/contracts/autoscaler';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { auth } from '../../app/auth';
import { clusterKeys, POLL_MS } from './api';
import { addEvent } from './live-events';

/** How long to wait before opening the stream again after it closed; polling covers the gap. */
const REOPEN_MS = 15_000;

/**
 * Follows one cluster over the autoscaler's WebSocket: each sample, event or breaker change refreshes
 * the queries it touches. Returns the polling period the queries should use: none while the stream is
 * subscribed, POLL_MS while it is not (not open yet, closed, refused; a refused subscribe closes the
 * stream, opened again after REOPEN_MS).
 */
export function useLiveCluster(clusterId: string): number | false {
  const qc = useQueryClient();
  const [live, setLive] = useState(false);
  useEffect(() => {
    let stopped = false;
    let ws: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // On `subscribed` the cluster and its samples are read once (what was stored while subscribing is
    // not streamed); the answer carries the latest event, so the event lists take it as it is.
    const refresh = (msg: TLiveServerMessage) => {
      const { type } = msg;
      const all = type === 'subscribed';
      if (msg.type === 'subscribed' && msg.event) addEvent(qc, clusterId, msg.event);
      if (all || type === 'sample') void qc.invalidateQueries({ queryKey: clusterKeys.samples(clusterId) });
      if (type === 'event') void qc.invalidateQueries({ queryKey: clusterKeys.events(clusterId) });
      if (all || type === 'event' || type === 'breaker')
        void qc.invalidateQueries({ queryKey: clusterKeys.one(clusterId), exact: true });
    };
    const open = () => {
      const token = auth.accessToken();
      if (!token || typeof WebSocket === 'undefined') {
        timer = setTimeout(open, REOPEN_MS);
        return;
      }
      const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/v1/autoscaler/ws`);
      ws = socket;
      socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token }));
      socket.onmessage = (m) => {
        const msg = JSON.parse(String(m.data)) as TLiveServerMessage;
        if (msg.type === 'ready') socket.send(JSON.stringify({ type: 'subscribe', clusterId }));
        // Refused: live updates unavailable → poll and try the stream again later; the cluster gone →
        // no stream again, and the page reads the cluster (its 404 says so).
        else if (msg.type === 'error' && msg.clusterId === clusterId) {
          if (msg.code === 'not_found') {
            stopped = true;
            void qc.invalidateQueries({ queryKey: clusterKeys.one(clusterId), exact: true });
          }
          socket.close();
        } else if (msg.type === 'subscribed' && msg.clusterId === clusterId) {
          refresh(msg);
          setLive(true);
        } else if ('clusterId' in msg && msg.clusterId === clusterId) refresh(msg);
      };
      socket.onclose = () => {
        setLive(false);
        if (!stopped) timer = setTimeout(open, REOPEN_MS);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      ws?.close();
    };
  }, [clusterId, qc]);
  return live ? false : POLL_MS;
}
