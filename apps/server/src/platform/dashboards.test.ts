import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers';

// Every Grafana panel's PromQL must parse and may only name metrics a running instance exposes.
const root = join(import.meta.dirname, '../../../../deploy/grafana');
const exprs = readdirSync(join(root, 'dashboards'))
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => {
    const d = JSON.parse(readFileSync(join(root, 'dashboards', f), 'utf8')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    return d.panels.flatMap((p) => p.targets.map((t) => ({ where: `${f}: ${p.title}`, expr: t.expr })));
  });
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('every panel expression parses (promtool, through a generated rules file)', () => {
  expect(exprs.length).toBeGreaterThan(30);
  const dir = mkdtempSync(join(tmpdir(), 'cp-dash-'));
  const rules = exprs.map((e, i) => `      - record: panel_${i}\n        expr: ${JSON.stringify(e.expr)}`);
  writeFileSync(join(dir, 'panels.yml'), `groups:\n  - name: panels\n    rules:\n${rules.join('\n')}\n`);
  expect(() =>
    execFileSync('promtool', ['check', 'rules', join(dir, 'panels.yml')], { stdio: 'pipe' }),
  ).not.toThrow();
});

it('every metric a panel names is exposed at /metrics', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/metrics' });
  const exposed = new Set([...res.body.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
  const unknown: string[] = [];
  for (const { where, expr } of exprs) {
    for (const [name] of expr.matchAll(/clockpilot_[a-z_]+/g)) {
      const base = name.replace(/_(bucket|count|sum)$/, '');
      if (!exposed.has(base) && !exposed.has(name)) unknown.push(`${where}: ${name}`);
    }
  }
  expect(unknown).toEqual([]);
});
