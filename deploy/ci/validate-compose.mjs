// Checks Compose files against the Compose Specification's JSON schema (deploy/ci/schemas/
// compose-spec.json, vendored from the specification's repository: CI downloads nothing).
// Usage: node deploy/ci/validate-compose.mjs FILE...
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'yaml';

const { $schema: _draft07, ...schema } = JSON.parse(
  readFileSync(new URL('schemas/compose-spec.json', import.meta.url), 'utf8'),
);
// Draft-07 is Ajv's own dialect; the specification's custom formats (durations …) are not checked.
const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
let failed = false;
for (const file of process.argv.slice(2)) {
  // Merge keys (<<: *app) are resolved as Compose resolves them before the schema applies.
  const doc = parse(readFileSync(file, 'utf8'), { merge: true, maxAliasCount: -1 });
  if (validate(doc)) {
    console.log(
      `ok    ${file}: ${Object.keys(doc.services).length} services match the Compose Specification`,
    );
  } else {
    failed = true;
    for (const e of validate.errors)
      console.log(`FAIL  ${file}${e.instancePath}: ${e.message} ${JSON.stringify(e.params)}`);
  }
}
process.exit(failed ? 1 : 0);
