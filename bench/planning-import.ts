/**
 * Planning import at its ceilings, against the real server on PostgreSQL and Redis: a 100,000-row
 * people .xlsx uploaded and applied (time from upload to the run's end, and the server's peak
 * resident memory), then a 1 GB upload refused twice: once by its declared length, once streamed
 * without one (chunked), where the server stops at the 500 MiB limit. Memory is sampled from
 * /proc every 50 ms. Goals: import ≤ 20 s and peak RSS ≤ 400 MB; the refusals with flat memory.
 * Beside the wall time, the CPU the import cost the server and the database's backends (utime +
 * stime from /proc): on a shared machine the wall time is mostly the queue for a core.
 *
 * The floor, in the same run: a process of its own that only reads the workbook with ExcelJS'
 * streaming reader (time and peak RSS), what no import of that file can do without.
 *
 *   npm run bench -- planning-import            # through the runner, with the table of ratios
 *   npx tsx bench/planning-import.ts            # prints the figures, writes bench/results/planning-import.json
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { writePeopleXlsx } from './people-xlsx';
import { adminQuery, cpuMs, createAccounts, recreateDatabase, rssMiB, startServer } from './time-common';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
// BENCH_DB: a database of its own, when another run of this bench may be under way.
const DB = process.env.BENCH_DB ?? 'clockpilot_bench_import';
const scratch = await mkdtemp(join(tmpdir(), 'clockpilot-bench-import-'));

await recreateDatabase(DB);
const [token] = await createAccounts(DB, [{ username: 'bench_admin', role: 'admin', timeZone: 'UTC' }]);
const server = await startServer(DB, { BACKUPS_DIR: join(scratch, 'backups') });
const auth = { authorization: `Bearer ${token}` };

/** Samples a process's RSS (the server's) until stopped; answers the baseline and the peak in MiB. */
function sampler(pid = server.pid) {
  let peak = 0;
  let stopped = false;
  // The reader's process ends before the sampler stops: a gone process reads as 0.
  const rss = () => rssMiB(pid).catch(() => 0);
  const first = rss();
  const loop = (async () => {
    while (!stopped) {
      peak = Math.max(peak, await rss());
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return { before: await first, peak };
  };
}

// --- 100,000 rows ---------------------------------------------------------------------------------
const xlsx = join(scratch, 'people.xlsx');
await writePeopleXlsx(xlsx, ROWS);
const bytes = await readFile(xlsx);

// The floor: the workbook read row by row and nothing else.
const readOnly = `const E = require('exceljs'); (async () => { let n = 0;
  for await (const ws of new E.stream.xlsx.WorkbookReader(process.argv[1], { sharedStrings: 'cache' }))
    for await (const _ of ws) n++; })();`;
const floorStarted = performance.now();
const reader = spawn(process.execPath, ['-e', readOnly, xlsx], { stdio: 'inherit' });
const stopFloor = sampler(reader.pid!);
await once(reader, 'exit');
const floorSeconds = (performance.now() - floorStarted) / 1000;
const floorRss = await stopFloor();

/** CPU used so far by the server and by each PostgreSQL backend connected to the bench's database. */
async function cpuNow() {
  const { rows } = await adminQuery(`select pid from pg_stat_activity where datname = '${DB}'`);
  const backends = new Map<number, number>();
  for (const { pid } of rows as Array<{ pid: number }>) backends.set(pid, await cpuMs(pid).catch(() => 0));
  return { server: await cpuMs(server.pid), backends };
}
/** CPU between two readings; a backend opened since counts whole, one closed since is not seen. */
const cpuSpent = (a: Awaited<ReturnType<typeof cpuNow>>, b: typeof a) => ({
  server: (b.server - a.server) / 1000,
  database: [...b.backends].reduce((sum, [pid, ms]) => sum + ms - (a.backends.get(pid) ?? 0), 0) / 1000,
});
const cpuBefore = await cpuNow();
const stopImport = sampler();
const t0 = performance.now();
const form = new FormData();
form.append('kind', 'people');
form.append('dryRun', 'false');
form.append('file', new Blob([bytes]), 'people.xlsx');
const accepted = await fetch(`${server.url}/api/v1/planning/imports`, {
  method: 'POST',
  headers: auth,
  body: form,
});
if (accepted.status !== 202) throw new Error(`upload: ${accepted.status} ${await accepted.text()}`);
const { id } = (await accepted.json()) as { id: string };
let run: { status: string; counts: Record<string, number>; reason: string | null };
for (;;) {
  run = (await (
    await fetch(`${server.url}/api/v1/planning/imports/${id}`, { headers: auth })
  ).json()) as typeof run;
  if (run.status === 'succeeded' || run.status === 'failed') break;
  await new Promise((r) => setTimeout(r, 100));
}
const importSeconds = (performance.now() - t0) / 1000;
const importRss = await stopImport();
const cpu = cpuSpent(cpuBefore, await cpuNow());
if (run.status !== 'succeeded') throw new Error(`import ${run.status}: ${run.reason}`);

// --- 1 GB refused -------------------------------------------------------------------------------
const GB = 1024 ** 3;
/** Posts a multipart body of `size` file bytes, with or without a declared length; answers the status. */
function hugeUpload(size: number, declare: boolean) {
  const boundary = '----benchboundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\npeople\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL(`${server.url}/api/v1/planning/imports`);
  return new Promise<{ status: number; sent: number }>((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: {
        ...auth,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(declare ? { 'content-length': String(head.length + size + tail.length) } : {}),
      },
    });
    let sent = 0;
    let done = false;
    req.on('response', (res) => {
      done = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
    });
    req.on('error', (err) => (done ? undefined : reject(err)));
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    req.write(head);
    const pump = () => {
      while (!done && sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!done) req.end(tail);
    };
    pump();
  });
}
const stopDeclared = sampler();
const declared = await hugeUpload(GB, true);
const declaredRss = await stopDeclared();
const stopStreamed = sampler();
const streamed = await hugeUpload(GB, false);
const streamedRss = await stopStreamed();

await server.stop();
await rm(scratch, { recursive: true, force: true });

const cores = cpus();
const result = {
  case: 'planning import',
  date: new Date().toISOString(),
  machine: `${cores.length} × ${cores[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
  database: 'PostgreSQL 127.0.0.1:5432 + Redis',
  import: {
    rows: ROWS,
    fileBytes: bytes.length,
    seconds: Number(importSeconds.toFixed(2)),
    rssBeforeMiB: importRss.before,
    peakRssMiB: importRss.peak,
    serverCpuSeconds: cpu.server,
    databaseCpuSeconds: cpu.database,
    counts: run.counts,
    goals: { seconds: 20, peakRssMB: 400 },
  },
  floor: { readSeconds: Number(floorSeconds.toFixed(2)), peakRssMiB: floorRss.peak },
  refusedDeclared: {
    status: declared.status,
    sentMiB: declared.sent / 2 ** 20,
    rssBeforeMiB: declaredRss.before,
    peakRssMiB: declaredRss.peak,
  },
  refusedStreamed: {
    status: streamed.status,
    sentMiB: streamed.sent / 2 ** 20,
    rssBeforeMiB: streamedRss.before,
    peakRssMiB: streamedRss.peak,
  },
};
console.log(JSON.stringify(result, null, 2));
await mkdir(join(import.meta.dirname, 'results'), { recursive: true });
await writeFile(
  join(import.meta.dirname, 'results', 'planning-import.json'),
  `${JSON.stringify(result, null, 2)}\n`,
);
process.exit(0);
