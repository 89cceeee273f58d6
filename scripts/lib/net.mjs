// Shared by the server tests, e2e and bench, so it is plain ESM JavaScript (types in net.d.mts).
import { createServer } from 'node:net';

function tryPort(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: chosen } = server.address();
      server.close(() => resolve(chosen));
    });
  });
}

/**
 * A loopback TCP port nobody listens on right now. `FREE_PORT_RANGE=5500-5599` keeps to a range (a
 * shared machine where each person has their own ports); otherwise the system picks one.
 */
export async function freePort() {
  const range = /^(\d+)-(\d+)$/.exec(process.env.FREE_PORT_RANGE ?? '');
  if (!range) return tryPort(0);
  const [low, high] = [Number(range[1]), Number(range[2])];
  // Start at a random place, so runs started together do not race for the same port.
  const span = high - low + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    try {
      return await tryPort(low + ((start + i) % span));
    } catch {
      // taken: try the next one
    }
  }
  throw new Error(`No free port in FREE_PORT_RANGE ${process.env.FREE_PORT_RANGE}`);
}
