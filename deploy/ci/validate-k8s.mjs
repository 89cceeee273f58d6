// Validates every object in deploy/k8s against the Kubernetes API's JSON schemas, as generated from
// the API's OpenAPI document by kubernetes-models (a dev dependency: nothing is downloaded), and
// checks that the kustomization lists every manifest. Usage: node deploy/ci/validate-k8s.mjs [DIR]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const dir = process.argv[2] ?? 'deploy/k8s';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
// Applied on their own (docs/DEPLOYMENT.md), so not part of `kubectl apply -k`.
const separate = new Set(['migrate-job.yaml', 'secret.template.yaml']);
let failed = false;
const fail = (msg) => {
  failed = true;
  console.log(`FAIL  ${msg}`);
};

for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
    const obj = doc.toJS();
    if (!obj) continue;
    const { apiVersion, kind } = obj;
    const where = `${file}: ${kind} ${obj.metadata?.name ?? ''}`;
    if (kind === 'Kustomization') {
      const listed = new Set(obj.resources);
      for (const f of files)
        if (f !== file && !separate.has(f) && !listed.has(f)) fail(`${file} does not list ${f}`);
      continue;
    }
    // core/v1 lives at kubernetes-models/v1, the others at <group>/<version>.
    const path = `kubernetes-models/${apiVersion}/${kind}`;
    let Model;
    try {
      Model = (await import(path))[kind];
    } catch {
      fail(`${where}: unknown apiVersion/kind ${apiVersion} ${kind}`);
      continue;
    }
    try {
      new Model(obj).validate();
      console.log(`ok    ${where} (${apiVersion})`);
    } catch (err) {
      fail(`${where}: ${err.message}`);
    }
  }
}
// The validator itself must refuse a broken object, or every "ok" above means nothing.
const { Deployment } = await import('kubernetes-models/apps/v1/Deployment');
try {
  new Deployment({
    metadata: { name: 'x' },
    spec: { replicas: 'two', selector: {}, template: { spec: {} } },
  }).validate();
  fail('a Deployment with replicas "two" and no containers passed validation');
} catch {
  console.log('ok    a broken Deployment is refused');
}
process.exit(failed ? 1 : 0);
