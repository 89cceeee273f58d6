// A bounded request loop for the blue-green check: four clients with keep-alive connections request
// the login page and the health endpoint through nginx until the run file disappears (or the limit in
// seconds passes), then print the counts. Exit status 1 if any request failed or answered non-200.
// An nginx reload closes idle keep-alive connections of the old workers; a request that raced such a
// close on a reused connection never reached the server and is retried once, as browsers do for
// idempotent requests (RFC 9112 §9.3.1; Node's documented `reusedSocket` pattern), on a new
// connection. Those are counted.
import { existsSync } from 'node:fs';
import { Agent, get } from 'node:https';

const [url, runFile, limitSeconds = '120'] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const deadline = Date.now() + Number(limitSeconds) * 1000;
const paths = ['/api/health/ready', '/login'];
let ok = 0;
let retried = 0;
const failures = [];

const once = (path, retry = true, via = agent) =>
  new Promise((resolve) => {
    const req = get(`${url}${path}`, { agent: via, headers: { accept: 'text/html' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? null : `${path} ${res.statusCode}`));
    });
    req.on('error', (err) => {
      if (retry && req.reusedSocket && err.code === 'ECONNRESET') {
        retried++;
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
  `request loop: ${ok} ok (${retried} resent after a keep-alive close), ${failures.length} failed${failures.length ? `: ${failures.slice(0, 5).join('; ')}` : ''}`,
);
process.exit(failures.length === 0 && ok > 0 ? 0 : 1);
