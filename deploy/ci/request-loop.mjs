// A bounded request loop for the blue-green check: four clients with keep-alive connections request
// the login page and the health endpoint through nginx until the run file disappears (or the limit in
// seconds passes), then print the counts. Exit status 1 if any request failed or answered non-200.
// An nginx reload closes the old workers' idle connections: kept-alive ones and (seen once in CI,
// under load) a new one accepted just before, its request not yet read. A request that met such a
// close got no byte of an answer and never reached the app; it is resent once on a new connection, as
// clients may do for idempotent requests (RFC 9110 §9.2.2, RFC 9112 §9.3.1; Node's documented
// `reusedSocket` pattern). Those are counted by kind, and a second failure counts as a failed request.
import { existsSync } from 'node:fs';
import { Agent, get } from 'node:https';

const [url, runFile, limitSeconds = '120'] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const deadline = Date.now() + Number(limitSeconds) * 1000;
const paths = ['/api/health/ready', '/login'];
let ok = 0;
const resent = { reused: 0, fresh: 0 };
const failures = [];

const once = (path, retry = true, via = agent) =>
  new Promise((resolve) => {
    let answered = false;
    const req = get(`${url}${path}`, { agent: via, headers: { accept: 'text/html' } }, (res) => {
      answered = true;
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? null : `${path} ${res.statusCode}`));
      res.on('error', (err) => resolve(`${path} cut off mid-answer: ${err.message}`));
    });
    req.on('error', (err) => {
      // A reset before any answer ("socket hang up").
      if (retry && err.code === 'ECONNRESET' && !answered) {
        resent[req.reusedSocket ? 'reused' : 'fresh']++;
        // On a new connection: the pool's other idle sockets may be closing too.
        resolve(once(path, false, false));
      } else resolve(`${path} ${err.message}`);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
  });

async function client(n) {
  for (let i = n; existsSync(runFile) && Date.now() < deadline; i++) {
    const failure = await once(paths[i % paths.length]);
    if (failure) failures.push(failure);
    else ok++;
  }
}

await Promise.all([0, 1, 2, 3].map(client));
agent.destroy();
console.log(
  `request loop: ${ok} ok (resent after a close before any answer: ${resent.reused} on a kept-alive connection, ${resent.fresh} on a new one), ${failures.length} failed${failures.length ? `: ${failures.slice(0, 5).join('; ')}` : ''}`,
);
process.exit(failures.length === 0 && ok > 0 ? 0 : 1);
