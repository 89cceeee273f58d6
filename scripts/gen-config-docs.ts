// Regenerates .env.example and the configuration table in README.md from config/options.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderEnvExample, withConfigTable } from '../apps/server/src/config/docs';

const root = new URL('..', import.meta.url);
writeFileSync(new URL('.env.example', root), renderEnvExample());
const readme = new URL('README.md', root);
writeFileSync(readme, withConfigTable(readFileSync(readme, 'utf8')));
console.log('wrote .env.example and the configuration table in README.md');
