// Preload that records every statement a process sends through `pg` (its start, duration and first
// 120 characters, the characters of its parameters) and writes them as JSON to BENCH_PG_TRACE when the process exits. For counting and
// timing a request's statements in a bench:
//   BENCH_PG_TRACE=/tmp/trace.json NODE_OPTIONS="--import ./bench/pg-trace.mjs" npx tsx bench/planning.ts
// The file name gets the process id appended, so the bench and its server each write their own.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = process.env.BENCH_PG_TRACE;
if (file) {
  const pg = createRequire(`${process.cwd()}/package.json`)('pg');
  const log = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (...args) {
    const config = args[0];
    const entry = {
      at: performance.now(),
      ms: null,
      sql: (typeof config === 'string' ? config : (config?.text ?? '')).replace(/\s+/g, ' ').slice(0, 120),
      // Characters of the parameters sent (what the statement costs on the socket beyond its text).
      bytes: (config?.values ?? (Array.isArray(args[1]) ? args[1] : [])).reduce(
        (n, v) => n + (v == null ? 0 : String(v).length),
        0,
      ),
    };
    log.push(entry);
    const done = () => {
      entry.ms = performance.now() - entry.at;
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
