// Shared by the server tests, e2e and bench, so it is plain ESM JavaScript (types in net.d.mts).
import { createServer } from 'node:net';

/** A loopback TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
