import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import {
  EVALUATION_LIMITS,
  type TEvaluation,
  type TEvaluationOptions,
  ZEvaluateOptions,
  ZEvaluationOptions,
} from '@clockpilot/contracts';
import type { Principal } from '../../../platform/auth';
import type { AppContext } from '../../../platform/context';
import { AppError, notFound, unprocessable } from '../../../platform/errors';
import { clusterFor, EvaluationRefused } from '../evaluate/evaluate';
import { tickOf } from '../evaluate/replay';
import { parseTrace, type Trace, TraceError } from '../evaluate/trace';
import { WORKER_KIND, type WorkerInput, type WorkerMessage } from './evaluation.worker';

/** What the route received: the file's name and text and the form's other fields. */
export type EvaluationUpload = { fileName: string; csv: string; fields: Record<string, string> };

type Stored = TEvaluation & { ownerId: string; updatedAt: string };

/** Each run takes a core for seconds; more than two at once would starve the requests of this replica. */
const RUNNING_PER_REPLICA = 2;
/** Results are kept this long; the page that started one reads it within seconds. */
const KEEP_SECONDS = 24 * 3600;
/** A running record not written for this long belongs to a replica that stopped. */
const STALE_MS = 60_000;
const PROGRESS_WRITE_MS = 1000;

const key = (id: string) => `autoscaler:evaluation:${id}`;
const fromSource = import.meta.url.endsWith('.ts');

/** The worker's file: beside this one when running from source, beside the bundle when built. */
const workerUrl = fromSource
  ? new URL('./worker-source.mjs', import.meta.url)
  : new URL('./evaluation-worker.js', import.meta.url);

const dataRows = (csv: string) => {
  let n = 0;
  for (const line of csv.split('\n')) if (line.trim() !== '' && !line.trimStart().startsWith('#')) n++;
  return n;
};

/** The simulated ticks one policy's replay of the trace takes (a step, or slices of a longer one). */
function ticksOf(t: Trace, syncSeconds: number) {
  return t.requests.length * Math.round(t.stepSeconds / tickOf(t.stepSeconds, syncSeconds));
}

/**
 * Evaluations of uploaded traces. The CSV is checked here (a bad one is refused at once); the replay,
 * seconds of CPU for a long trace, runs in a worker thread of this replica so the event loop stays
 * free. Records (progress, then the figures) live in the shared cache, so any replica answers a read.
 */
export function createEvaluationsService(ctx: AppContext) {
  const { cache, clock, log } = ctx;
  const running = new Map<string, { ownerId: string; worker: Worker }>();

  const save = (r: Stored) =>
    cache
      .set(key(r.id), JSON.stringify(r), KEEP_SECONDS)
      .catch((err) => log.app.warn({ err, evaluation: r.id }, 'autoscaler evaluation not saved'));
  const show = ({ ownerId: _o, updatedAt: _u, ...r }: Stored): TEvaluation => r;

  /** The uploaded trace, and the ticks one policy's replay of it takes, refused past the limits. */
  function checkTrace(upload: EvaluationUpload, options: TEvaluationOptions) {
    const rows = dataRows(upload.csv);
    if (rows > EVALUATION_LIMITS.maxRows + 1)
      throw unprocessable('body.file', `The trace has ${rows} rows; at most ${EVALUATION_LIMITS.maxRows}`);
    let trace: Trace;
    try {
      trace = parseTrace(upload.csv);
    } catch (err) {
      if (err instanceof TraceError)
        throw unprocessable('body.file', `Not a timestamp,requests trace: ${err.message}`);
      throw err;
    }
    const settings = ZEvaluateOptions.parse({ trace: 'upload', ...options });
    const ticks = ticksOf(trace, settings.syncSeconds);
    if (ticks > EVALUATION_LIMITS.maxTicks)
      throw unprocessable(
        'body.file',
        `The trace spans ${trace.requests.length} steps of ${trace.stepSeconds} s (${ticks} simulated ticks with its gaps); at most ${EVALUATION_LIMITS.maxTicks}`,
      );
    let cluster: ReturnType<typeof clusterFor>;
    try {
      cluster = clusterFor(trace, settings);
    } catch (err) {
      if (!(err instanceof EvaluationRefused)) throw err;
      throw unprocessable(err.option === 'serverRps' ? 'body.serverRps' : 'body.file', err.message);
    }
    // Servers of the capacity given, or of the most one may serve when a hundredth of the peak is more.
    const { peakRps, serverRps } = cluster;
    if (peakRps / serverRps > EVALUATION_LIMITS.maxPeakServers)
      throw unprocessable(
        'body.serverRps',
        `The trace's peak of ${peakRps.toFixed(1)} req/s would need more than ${EVALUATION_LIMITS.maxPeakServers} servers of ${serverRps} req/s`,
      );
    return { trace, ticks };
  }

  function run(record: Stored, input: WorkerInput) {
    const worker = new Worker(workerUrl, {
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    running.set(record.id, { ownerId: record.ownerId, worker });
    let lastWrite = 0;
    let finished = false;
    const write = (change: Partial<Stored>) => {
      Object.assign(record, change, { updatedAt: clock.now().toISOString() });
      return save(record);
    };
    const finish = (change: Partial<Stored>) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      running.delete(record.id);
      void write({ ...change, finishedAt: clock.now().toISOString() });
    };
    const fail = (error: string) => finish({ status: 'failed', error });
    const timer = setTimeout(() => {
      fail(`The evaluation took longer than ${EVALUATION_LIMITS.timeoutSeconds} s and was stopped`);
      void worker.terminate();
    }, EVALUATION_LIMITS.timeoutSeconds * 1000);

    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'done') return finish({ status: 'succeeded', result: m.result });
      record.progress = { done: m.done, total: m.total };
      if (Date.now() - lastWrite < PROGRESS_WRITE_MS) return;
      lastWrite = Date.now();
      void write({});
    });
    worker.on('error', (err) => {
      log.app.error({ err, evaluation: record.id }, 'autoscaler evaluation failed');
      fail(
        (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? 'The evaluation needed more memory than it may use'
          : 'The evaluation failed; the server log has the reason',
      );
    });
    worker.on('exit', () => fail('The evaluation stopped before it finished'));
  }

  return {
    /** Checks the upload and starts its replay; answers the running evaluation. */
    async start(principal: Principal, upload: EvaluationUpload): Promise<TEvaluation> {
      const parsed = ZEvaluationOptions.safeParse(upload.fields);
      if (!parsed.success)
        throw new AppError('validation_failed', 'The form fields are invalid', {
          errors: parsed.error.issues.map((i) => ({
            path: ['body', ...i.path.map(String)].join('.'),
            message: i.message,
          })),
        });
      const options = parsed.data;
      const mine = [...running.values()].filter((r) => r.ownerId === principal.userId).length;
      if (mine >= EVALUATION_LIMITS.runningPerUser)
        throw new AppError('conflict', 'An evaluation of yours is still running; wait for it to finish');
      if (running.size >= RUNNING_PER_REPLICA)
        throw new AppError('unavailable', 'The server is busy with other evaluations; try again shortly', {
          headers: { 'retry-after': '30' },
        });
      const { trace, ticks } = checkTrace(upload, options);
      const now = clock.now().toISOString();
      const record: Stored = {
        id: randomUUID(),
        ownerId: principal.userId,
        status: 'running',
        fileName: upload.fileName.slice(0, 255),
        options,
        progress: { done: 0, total: ticks * (options.policy === 'both' ? 2 : 1) },
        createdAt: now,
        updatedAt: now,
        finishedAt: null,
        error: null,
        result: null,
      };
      await save(record);
      run(record, { kind: WORKER_KIND, trace, options });
      return show(record);
    },

    /** The caller's own evaluation; another user's, an unknown or an expired one is not found. */
    async get(principal: Principal, id: string): Promise<TEvaluation> {
      const raw = await cache.get(key(id));
      const r = raw ? (JSON.parse(raw) as Stored) : undefined;
      if (!r || r.ownerId !== principal.userId) throw notFound('Evaluation');
      if (r.status === 'running' && clock.now().getTime() - Date.parse(r.updatedAt) > STALE_MS)
        return { ...show(r), status: 'failed', error: 'The server running this evaluation stopped' };
      return show(r);
    },

    /** Stops every running replay (server shutdown). */
    async close() {
      await Promise.all([...running.values()].map((r) => r.worker.terminate()));
    },
  };
}
export type EvaluationsService = ReturnType<typeof createEvaluationsService>;
