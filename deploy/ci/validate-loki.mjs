#!/usr/bin/env node
// Checks the Loki side without a Loki binary (Debian has none): loki.yml, promtail.yml and the ruler's
// rules parse; every rule has the shape Loki's ruler takes (alert, LogQL expr, for, severity, summary,
// runbook), its stream selector only uses labels Promtail sets, `{{ $labels.x }}` only names labels the
// expression keeps, and each runbook anchor exists in docs/OPERATIONS.md. Usage: node deploy/ci/validate-loki.mjs
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const loki = join(root, 'deploy/loki');
const problems = [];
const fail = (where, what) => problems.push(`${where}: ${what}`);
const load = (file) => parse(readFileSync(file, 'utf8'));

const config = load(join(loki, 'loki.yml'));
for (const key of ['server', 'common', 'schema_config', 'limits_config', 'ruler'])
  if (!config?.[key]) fail('loki.yml', `missing ${key}`);
if (config?.auth_enabled !== false)
  fail('loki.yml', 'auth_enabled must be false (rules live under the tenant "fake")');

const promtail = load(join(loki, 'promtail.yml'));
const labels = new Set(['filename']);
for (const scrape of promtail?.scrape_configs ?? []) {
  for (const sc of scrape.static_configs ?? []) for (const l of Object.keys(sc.labels ?? {})) labels.add(l);
  for (const stage of scrape.pipeline_stages ?? [])
    for (const l of Object.keys(stage.labels ?? {})) labels.add(l);
}
if (!labels.has('job')) fail('promtail.yml', 'no job label');

const runbook = readFileSync(join(root, 'docs/OPERATIONS.md'), 'utf8');
const anchors = new Set(
  [...runbook.matchAll(/^#+ (.+)$/gm)].map((m) =>
    m[1]
      .trim()
      .toLowerCase()
      .replace(/[^\w\- ]/g, '')
      .replace(/ /g, '-'),
  ),
);
const duration = /^\d+[smhdw]$/;
let count = 0;
const tenants = join(loki, 'rules');
for (const tenant of readdirSync(tenants)) {
  for (const name of readdirSync(join(tenants, tenant))) {
    const where = `rules/${tenant}/${name}`;
    const doc = load(join(tenants, tenant, name));
    if (!Array.isArray(doc?.groups) || doc.groups.length === 0) fail(where, 'no groups');
    for (const group of doc?.groups ?? []) {
      if (!group.name) fail(where, 'a group without a name');
      for (const rule of group.rules ?? []) {
        const at = `${where} ${rule.alert ?? rule.record ?? '?'}`;
        count++;
        if (!rule.alert) fail(at, 'not an alerting rule');
        const expr = String(rule.expr ?? '');
        // Brackets balance, and a stream selector with a range: the shape of a LogQL metric query.
        let depth = 0;
        for (const c of expr) {
          depth += '({['.includes(c) ? 1 : ')}]'.includes(c) ? -1 : 0;
          if (depth < 0) break;
        }
        if (depth !== 0) fail(at, 'unbalanced brackets in expr');
        const selector = /\{([^}]*)\}/.exec(expr);
        if (!selector || !/\[\d+[smhd]\]/.test(expr)) fail(at, 'expr is no LogQL metric query over a range');
        for (const m of selector?.[1].matchAll(/(\w+)\s*(=~|!~|!=|=)/g) ?? [])
          if (!labels.has(m[1])) fail(at, `selector label ${m[1]} is not set by promtail`);
        const kept = new Set((/by\s*\(([^)]*)\)/.exec(expr)?.[1] ?? '').split(',').map((s) => s.trim()));
        for (const m of JSON.stringify(rule.annotations ?? {}).matchAll(/\$labels\.(\w+)/g))
          if (!kept.has(m[1])) fail(at, `annotation uses $labels.${m[1]}, which the expr does not keep`);
        if (rule.for !== undefined && !duration.test(String(rule.for))) fail(at, `bad for: ${rule.for}`);
        if (!['warning', 'critical'].includes(rule.labels?.severity))
          fail(at, 'severity must be warning or critical');
        if (!rule.annotations?.summary) fail(at, 'no summary');
        const anchor = /#(.+)$/.exec(rule.annotations?.runbook_url ?? '')?.[1];
        if (!anchor || !anchors.has(anchor))
          fail(at, `runbook anchor #${anchor} is not a heading of docs/OPERATIONS.md`);
      }
    }
  }
}
if (count === 0) fail('rules', 'no Loki rules found');
if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log(`loki: loki.yml, promtail.yml and ${count} ruler rules checked (parse, shape, labels, runbooks)`);
