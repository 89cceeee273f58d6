/**
 * The .xlsx reader alone: the planning import bench's 100,000-row people workbook read row by row
 * by the reader over the sheet XML (`readXlsx`) and by the ExcelJS streaming reader it replaced,
 * alternating, in one process. Per round: wall time, rows per second, the process's CPU (user +
 * system) and its peak RSS so far.
 *
 *   NODE_OPTIONS=--expose-gc nice -n 10 npx tsx bench/xlsx-read.ts [rounds]
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TABULAR_LIMITS } from '../apps/server/src/platform/tabular/limits';
import type { RawRow } from '../apps/server/src/platform/tabular/types';
import { readXlsx } from '../apps/server/src/platform/tabular/xlsx';
import { inspectXlsx } from '../apps/server/src/platform/tabular/zip';
import { rowsWithExcelJS } from '../apps/server/test/fixtures/tabular/exceljs-reader';
import { writePeopleXlsx } from './people-xlsx';

const ROWS = 100_000;
const rounds = Number(process.argv[2] ?? 3);
const scratch = await mkdtemp(join(tmpdir(), 'clockpilot-bench-xlsx-'));
const path = join(scratch, 'people.xlsx');
await writePeopleXlsx(path, ROWS);

async function lean() {
  const sheets = await inspectXlsx(path, DEFAULT_TABULAR_LIMITS);
  return readXlsx(path, sheets, sheets[0]!, DEFAULT_TABULAR_LIMITS);
}

const readers: Record<string, () => Promise<AsyncIterable<RawRow>>> = {
  exceljs: async () => rowsWithExcelJS(path),
  lean,
};

const results: Record<string, { seconds: number; cpu: number; rows: number }[]> = { exceljs: [], lean: [] };
for (let round = 0; round < rounds; round++) {
  for (const name of round % 2 === 0 ? ['exceljs', 'lean'] : ['lean', 'exceljs']) {
    (globalThis as { gc?: () => void }).gc?.();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let rows = 0;
    let cells = 0;
    for await (const r of await readers[name]!()) {
      rows++;
      cells += r.cells.length;
    }
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1e6;
    results[name]!.push({ seconds, cpu, rows });
    const rss = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(
      `${name.padEnd(8)} round ${round + 1}: ${rows} rows, ${cells} cells, ${seconds.toFixed(2)} s, ` +
        `${Math.round(rows / seconds)} rows/s, CPU ${cpu.toFixed(2)} s, peak RSS so far ${rss} MiB`,
    );
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, rs] of Object.entries(results))
  console.log(
    `${name}: median ${median(rs.map((r) => r.seconds)).toFixed(2)} s, CPU ${median(rs.map((r) => r.cpu)).toFixed(2)} s`,
  );
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
await rm(scratch, { recursive: true, force: true });
