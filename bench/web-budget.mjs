// Web performance budget: the JavaScript a browser downloads to show the login page (KB after gzip;
// budget 300 KB) and the home screen's time to interactive on localhost in headless Chromium (navigation
// start until the clock button can be pressed; budget 1.5 s). Appends the figures to bench/RESULTS.md.
//
//   node bench/web-budget.mjs            (builds the web app if needed and starts its own server)
//   RUNS=10 node bench/web-budget.mjs
import { appendFileSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWebIfNeeded, root, startServer } from '../e2e/server.mjs';
import { launchChromium } from '../scripts/lib/chromium.mjs';

const JS_BUDGET_KB = 300;
const TTI_BUDGET_MS = 1500;
const RUNS = Number(process.env.RUNS ?? 7);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const gzipKb = (path) => gzipSync(readFileSync(path), { level: 9 }).length / 1024;

const webDir = buildWebIfNeeded();
const server = await startServer({
  logFile: join(root, 'bench', '.web-budget-server.log'),
  webDir,
  env: { LOG_LEVEL: 'warn' },
});
const browser = await launchChromium();
let ok = true;
try {
  // 1. Initial JS of the login route: every script the page fetches until the form is usable.
  const context = await browser.newContext({ baseURL: server.base });
  const page = await context.newPage();
  const scripts = new Set();
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (r.request().resourceType() === 'script' && url.pathname.startsWith('/assets/'))
      scripts.add(url.pathname);
  });
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  // Late lazy chunks (preloads on hover do not happen here) would land within this second.
  await page.waitForTimeout(1000);
  const files = [...scripts].sort();
  const perFile = files.map((p) => ({
    file: p.replace('/assets/', ''),
    kb: gzipKb(join(webDir, p)),
  }));
  const loginKb = perFile.reduce((s, f) => s + f.kb, 0);
  const leaked = files.filter((f) => /(Users|Audit|Reports|Directory|Approvals)Page/.test(f));
  await context.close();

  // 2. Home time to interactive, signed in (the refresh cookie is in the profile), warm HTTP cache off.
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext({ baseURL: server.base });
    const res = await ctx.request.post('/api/v1/auth/login', {
      data: { login: server.users.employee.login, password: server.users.employee.password },
    });
    if (!res.ok()) throw new Error(`login failed: ${res.status()}`);
    const p = await ctx.newPage();
    await p.goto('/', { waitUntil: 'commit' });
    const handle = await p.waitForFunction(
      () => {
        const b = [...document.querySelectorAll('button')].find((x) =>
          /^(Clock in|Clock out|End break)$/.test(x.textContent?.trim() ?? ''),
        );
        return b && !b.disabled && !b.hasAttribute('data-loading') ? performance.now() : null;
      },
      undefined,
      { polling: 'raf', timeout: 15_000 },
    );
    samples.push(await handle.jsonValue());
    await ctx.close();
  }
  const tti = median(samples.slice(1)); // the first run also warms the server's caches

  const jsOk = loginKb <= JS_BUDGET_KB && leaked.length === 0;
  const ttiOk = tti <= TTI_BUDGET_MS;
  ok = jsOk && ttiOk;
  console.log('\nLogin route, initial JavaScript (gzip -9):');
  for (const f of perFile) console.log(`  ${f.file.padEnd(36)} ${f.kb.toFixed(1).padStart(7)} KB`);
  console.log(`  total ${loginKb.toFixed(1)} KB (budget ${JS_BUDGET_KB} KB) ${jsOk ? 'OK' : 'OVER'}`);
  if (leaked.length > 0) console.log(`  admin/report code loaded on the login page: ${leaked.join(', ')}`);
  console.log(
    `Home time to interactive: median ${tti.toFixed(0)} ms over ${samples.length - 1} runs ` +
      `(all: ${samples.map((s) => s.toFixed(0)).join(', ')} ms; budget ${TTI_BUDGET_MS} ms) ${ttiOk ? 'OK' : 'OVER'}`,
  );

  const chromiumVersion = browser.version();
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, Chromium ${chromiumVersion}`;
  appendFileSync(
    join(root, 'bench', 'RESULTS.md'),
    `\n## Web budget — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n\n` +
      `Machine: ${machine}. Server on localhost (embedded PGlite), headless Chromium, \`node bench/web-budget.mjs\`.\n\n` +
      '| Figure | Measured | Budget | |\n|---|---|---|---|\n' +
      `| Login route initial JS (gzip) | ${loginKb.toFixed(1)} KB in ${files.length} files | ${JS_BUDGET_KB} KB | ${jsOk ? 'OK' : 'OVER'} |\n` +
      `| Home time to interactive (navigation start → clock button enabled, median of ${samples.length - 1}) | ${tti.toFixed(0)} ms | ${TTI_BUDGET_MS} ms | ${ttiOk ? 'OK' : 'OVER'} |\n`,
  );
  console.log('appended to bench/RESULTS.md');
} finally {
  await browser.close();
  await server.stop();
}
process.exit(ok ? 0 : 1);
