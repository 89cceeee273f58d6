// Preload that records every statement a process sends through `pg` (its start, duration and first
// 120 characters, the characters of its parameters, and the CPU its backend spent meanwhile, read from
// /proc when the database runs on this machine, in 10 ms ticks) and writes them as JSON to
// BENCH_PG_TRACE when the process exits. For counting and timing a request's statements in a bench:
//   BENCH_PG_TRACE=/tmp/trace.json NODE_OPTIONS="--import ./bench/pg-trace.mjs" npx tsx bench/planning.ts
// The file name gets the process id appended, so the bench and its server each write their own.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = process.env.BENCH_PG_TRACE;
/** utime + stime of a process in ms (Linux, 100 ticks a second), or null where it cannot be read. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

if (file) {
  const pg = createRequire(`${process.cwd()}/package.json`)('pg');
  const log = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (...args) {
    const config = args[0];
    const entry = {
      at: performance.now(),
      ms: null,
      // The backend's CPU over the statement, ticks included that were spent on another in flight.
      cpuMs: null,
      sql: (typeof config === 'string' ? config : (config?.text ?? '')).replace(/\s+/g, ' ').slice(0, 120),
      // Characters of the parameters sent (what the statement costs on the socket beyond its text).
      bytes: (config?.values ?? (Array.isArray(args[1]) ? args[1] : [])).reduce(
        (n, v) => n + (v == null ? 0 : String(v).length),
        0,
      ),
    };
    log.push(entry);
    const backend = this.processID;
    const cpuBefore = cpuMs(backend);
    const done = () => {
      entry.ms = performance.now() - entry.at;
      const cpuAfter = cpuBefore === null ? null : cpuMs(backend);
      if (cpuAfter !== null) entry.cpuMs = cpuAfter - cpuBefore;
    };
    // pg-pool passes a callback; drizzle's transactions await the promise.
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last];
      args[last] = (...r) => {
        done();
        return callback(...r);
      };
    }
    const out = query.apply(this, args);
    if (out && typeof out.then === 'function') out.then(done, done);
    return out;
  };
  // `at` is performance.now(); this origin (µs of the monotonic clock) places it on a --cpu-prof timeline.
  const originUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
  process.on('exit', () => writeFileSync(`${file}.${process.pid}`, JSON.stringify({ originUs, log })));
}
