import { z } from 'zod';
import { int, type Option } from './kit';

/** The autoscaler: its simulator, limits, control loop, metrics store, WebSocket and circuit breaker. */
export const AUTOSCALER_OPTIONS = [
  // simulator
  {
    section: 'simulator',
    key: 'url',
    env: 'SIMULATOR_URL',
    schema: z.url().optional(),
    doc: 'Base URL of the load simulator (`npm run simulator`). Unset: clusters cannot be created and no control loop runs.',
    example: 'http://127.0.0.1:9000',
  },
  {
    section: 'simulator',
    key: 'token',
    env: 'SIMULATOR_TOKEN',
    schema: z.string().min(1).optional(),
    doc: 'Bearer token shared with the simulator; required (at least 32 characters) in production when SIMULATOR_URL is set.',
    secret: true,
    example: '',
  },
  {
    section: 'simulator',
    key: 'timeout_ms',
    env: 'SIMULATOR_TIMEOUT_MS',
    schema: int(3000, 100, 60_000),
    doc: 'Longest wait for one simulator call; the metrics read of a tick counts it as a breaker failure.',
  },
  // autoscaler
  {
    section: 'autoscaler',
    key: 'max_servers',
    env: 'AUTOSCALER_MAX_SERVERS',
    schema: int(100, 1, 10_000),
    doc: 'Largest maximum a cluster may have.',
  },
  {
    section: 'autoscaler',
    key: 'quota_clusters',
    env: 'AUTOSCALER_QUOTA_CLUSTERS',
    schema: int(10, 1, 100_000),
    doc: 'Clusters one user may own.',
  },
  {
    section: 'autoscaler',
    key: 'quota_servers',
    env: 'AUTOSCALER_QUOTA_SERVERS',
    schema: int(200, 1, 10_000_000),
    doc: "Sum of the maximum servers of one user's clusters.",
  },
  {
    section: 'autoscaler',
    key: 'sync_seconds',
    env: 'AUTOSCALER_SYNC_SECONDS',
    schema: int(15, 1, 3600),
    doc: 'Control loop period: each cluster is read, decided and scaled this often.',
  },
  {
    section: 'autoscaler',
    key: 'metrics_retention_days',
    env: 'AUTOSCALER_METRICS_RETENTION_DAYS',
    schema: int(7, 1, 365),
    doc: 'Days of raw samples kept; older daily partitions are dropped whole (1-minute rollups stay 90 days).',
  },
  {
    section: 'autoscaler',
    key: 'events_retention_days',
    env: 'AUTOSCALER_EVENTS_RETENTION_DAYS',
    schema: int(7, 1, 365),
    doc: 'Days of scaling events (one per cluster per sync) kept; older daily partitions are dropped whole.',
  },
  {
    section: 'autoscaler',
    key: 'ws_max_connections',
    env: 'AUTOSCALER_WS_MAX_CONNECTIONS',
    schema: int(1000, 1, 1_000_000),
    doc: 'Live WebSocket connections one replica accepts; one more is closed with 1013.',
  },
  {
    section: 'autoscaler',
    key: 'ws_ping_seconds',
    env: 'AUTOSCALER_WS_PING_SECONDS',
    schema: int(30, 1, 3600),
    doc: 'WebSocket ping period; a peer that has not answered the previous ping is dropped.',
  },
  {
    section: 'autoscaler',
    key: 'ws_max_message_bytes',
    env: 'AUTOSCALER_WS_MAX_MESSAGE_BYTES',
    schema: int(1_048_576, 256, 64 * 1_048_576),
    doc: 'Largest WebSocket message accepted from a client; larger closes with 1009.',
  },
  {
    section: 'autoscaler',
    key: 'breaker_error_percent',
    env: 'AUTOSCALER_BREAKER_ERROR_PERCENT',
    schema: int(50, 1, 100),
    doc: 'Share of failed metrics reads (in the rolling window) that opens a circuit breaker.',
  },
  {
    section: 'autoscaler',
    key: 'breaker_volume',
    env: 'AUTOSCALER_BREAKER_VOLUME',
    schema: int(3, 1, 1000),
    doc: 'Reads in the rolling window before the breaker may open.',
  },
  {
    section: 'autoscaler',
    key: 'breaker_reset_seconds',
    env: 'AUTOSCALER_BREAKER_RESET_SECONDS',
    schema: int(30, 1, 3600),
    doc: 'Time an open breaker waits before one half-open probe read.',
  },
  {
    section: 'autoscaler',
    key: 'breaker_window_seconds',
    env: 'AUTOSCALER_BREAKER_WINDOW_SECONDS',
    schema: int(120, 1, 86_400),
    doc: 'Rolling window over which the breaker counts failures.',
  },
] as const satisfies readonly Option[];
