// The evaluation worker when the server runs from its TypeScript source (development, tests): a
// worker thread does not inherit the parent's tsx loader, so it registers its own. A built server
// runs dist/evaluation-worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./evaluation.worker.ts');
