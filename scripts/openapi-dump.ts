// Writes the OpenAPI document the server serves to the path given, without listening or migrating.
import { writeFileSync } from 'node:fs';
import { buildApp } from '../apps/server/src/app';
import { loadConfig } from '../apps/server/src/config/load';
import { createPglite } from '../apps/server/src/platform/db';

const out = process.argv[2] ?? 'openapi.json';
const config = loadConfig({
  env: {
    APP_MODE: 'test',
    LOG_LEVEL: 'silent',
    API_DOCS: 'true',
    JWT_SECRET: 'openapi-dump-secret-that-is-long-enough-to-load',
  },
  version: '0.0.0',
});
const built = await buildApp(config, { database: await createPglite(undefined) });
await built.app.ready();
writeFileSync(out, JSON.stringify(built.app.swagger(), null, 2));
await built.close();
console.log(`wrote ${out}`);
