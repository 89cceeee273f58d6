import { createHash } from 'node:crypto';
import type { TUtilisation, TUtilisationQuery } from '@clockpilot/contracts';
import type { AppContext } from '../../platform/context';
import { EncodedBody } from '../../platform/encoded-body';
import type { TPersonCapacity } from '../directory';
import { calendarRepo } from './calendar.repo';
import { capacityCalendar, type TimeOffSpan } from './capacity';
import type { PlanningPolicy } from './planning.policy';
import { addDays, mondaysBetween, once, weekKey } from './planning.weeks';
import { totalsRepo } from './totals.repo';
import { loadByWeek } from './utilisation.repo';
import { gridWriter } from './utilisation.writer';

type Row = Pick<TUtilisation['rows'][number], 'kind' | 'key' | 'label'> & {
  assigned: number[];
  tentative: number[];
  capacity: number[] | null;
};
/** The cached head of a paged grid: its JSON up to the rows, its totals' JSON and its row count. */
type Head = { prefix: string; totals: string; count: number };
/** A computed grid: its head, the whole grid's JSON bytes and where each row's bytes start and end. */
type Grid = Head & { body: Buffer; starts: number[]; ends: number[] };
const CHUNK = 100;
/** Whole grids (different filters) kept per process; each is up to a few MB. */
const KEPT_GRIDS = 4;
/** `localeCompare`'s order, without its per-call set-up (5,000 rows sort in a few ms, not tens). */
const collator = new Intl.Collator();
export type UtilisationService = ReturnType<typeof createUtilisationService>;

/** Utilisation grids (rows × weeks), cached under the plan's version so a write is seen at once. */
export function createUtilisationService(ctx: AppContext, policy: PlanningPolicy) {
  const { db, config } = ctx;
  const ttl = config.planning.dashboardCacheTtl ?? config.planning.aggregateCacheTtl ?? 30;

  async function compute(q: Omit<TUtilisationQuery, 'limit' | 'cursor'>): Promise<Grid> {
    const mondays = mondaysBetween(q.from, q.to, 106);
    const n = mondays.length;
    const first = mondays[0]!;
    const last = mondays[n - 1]!;
    const directory = policy.directory();
    const listed = directory.listCapacities({ active: true, ...(q.team ? { teamId: q.team } : {}) });
    // Only a team filter needs the people before the hours; otherwise both are read at once.
    const personIds = q.team ? (await listed).map((p) => p.id) : undefined;
    // Per person and week the maintained totals answer; by project the week rows are summed.
    const byProject = q.groupBy === 'project' || q.project !== undefined;
    const zero = () => Array<number>(n).fill(0);
    // Summed load per key: confirmed and tentative hours per week.
    type Sum = { placeholder: boolean; assigned: number[]; tentative: number[] };
    const sums = new Map<string, Sum>();
    const sumOf = (key: string, placeholder: boolean) => {
      let s = sums.get(key);
      if (!s) {
        s = { placeholder, assigned: zero(), tentative: zero() };
        sums.set(key, s);
      }
      return s;
    };
    const index = new Map(mondays.map((m, i) => [m, i]));
    const load = async () => {
      if (byProject) {
        const by = q.groupBy === 'project' ? 'project' : 'person';
        for (const r of await loadByWeek(db, { from: first, to: last, by, project: q.project, personIds })) {
          const s = sumOf(r.key, r.placeholder);
          const i = index.get(r.week_start)!;
          s.assigned[i] = s.assigned[i]! + Number(r.confirmed);
          s.tentative[i] = s.tentative[i]! + Number(r.tentative);
        }
      } else {
        for (const t of await totalsRepo.seriesInRange(db, first, last, personIds)) {
          // A key's first series that covers the range is its sum as read (no array to add it into).
          if (t.offset === 0 && t.confirmed.length >= n && !sums.has(t.key)) {
            sums.set(t.key, {
              placeholder: t.placeholder,
              assigned: t.confirmed,
              tentative: t.tentative ?? zero(),
            });
            continue;
          }
          const s = sumOf(t.key, t.placeholder);
          const end = Math.min(t.confirmed.length, n - t.offset);
          for (let j = Math.max(0, -t.offset); j < end; j++) {
            s.assigned[t.offset + j] = s.assigned[t.offset + j]! + t.confirmed[j]!;
            if (t.tentative) s.tentative[t.offset + j] = s.tentative[t.offset + j]! + t.tentative[j]!;
          }
        }
      }
    };
    const [people, , holidays, timeOff] = await Promise.all([
      listed,
      load(),
      calendarRepo.holidayDates(db, first, addDays(last, 6), q.region),
      calendarRepo.timeOffWithin(db, first, addDays(last, 6)),
    ]);
    const offBy = new Map<string, TimeOffSpan[]>();
    for (const t of timeOff) {
      const list = offBy.get(t.personId);
      if (list) list.push(t);
      else offBy.set(t.personId, [t]);
    }
    const calendar = capacityCalendar(mondays, holidays);
    // People without time off share one series per weekly capacity (series are only read from here).
    const plain = once((weeklyCapacity: number) => calendar.of(weeklyCapacity));
    const capacityOf = (p: TPersonCapacity) => {
      const off = offBy.get(p.id);
      return off ? calendar.of(p.weeklyCapacity, off) : plain(p.weeklyCapacity);
    };
    const add = (into: number[], from: number[]) => {
      for (let i = 0; i < n; i++) into[i] = into[i]! + from[i]!;
    };

    const capacities = new Map(people.map((p) => [p.id, capacityOf(p)]));
    const total = { assigned: zero(), tentative: zero(), capacity: zero() };
    for (const c of capacities.values()) add(total.capacity, c);
    const rows: Row[] = [];

    if (q.groupBy === 'project') {
      for (const [key, s] of sums) {
        const project = await directory.getProject(key);
        rows.push({
          kind: 'project',
          key,
          label: project ? `${project.code} ${project.name}` : key,
          assigned: s.assigned,
          tentative: s.tentative,
          capacity: null,
        });
      }
    } else {
      const groups = new Map<
        string | null,
        { label: string; assigned: number[]; tentative: number[]; capacity: number[] }
      >();
      for (const p of people) {
        const s = sums.get(p.id);
        if (q.project && !s) continue;
        if (q.groupBy === 'person') {
          // One person, one row: their own series, nothing to add up.
          rows.push({
            kind: 'person',
            key: p.id,
            label: p.name,
            assigned: s?.assigned ?? zero(),
            tentative: s?.tentative ?? zero(),
            capacity: capacities.get(p.id)!,
          });
          continue;
        }
        let g = groups.get(p.teamId);
        if (!g) {
          const label = p.teamId ? (await directory.getTeam(p.teamId)).name : 'No team';
          g = { label, assigned: zero(), tentative: zero(), capacity: zero() };
          groups.set(p.teamId, g);
        }
        add(g.capacity, capacities.get(p.id)!);
        if (s) {
          add(g.assigned, s.assigned);
          add(g.tentative, s.tentative);
        }
      }
      for (const [key, g] of groups) rows.push({ kind: q.groupBy, key, ...g });
      // Placeholders have no capacity and no team; a team filter leaves them out.
      if (!q.team) {
        for (const [key, s] of sums)
          if (s.placeholder) rows.push({ kind: 'placeholder', key, label: key, ...s, capacity: null });
      }
    }
    rows.sort(
      (a, b) =>
        collator.compare(a.kind, b.kind) ||
        collator.compare(a.label, b.label) ||
        collator.compare(String(a.key), String(b.key)),
    );
    const head = { from: q.from, to: q.to, groupBy: q.groupBy, weeks: mondays.map(weekKey) };
    const prefix = JSON.stringify(head).slice(0, -1);
    // Cells print in 2–6 bytes and names in about 200 a row: one allocation for most grids, and no
    // tens of MB reserved up front (the writer grows when a grid needs more).
    const w = gridWriter(n, (rows.length + 1) * (n * 4 * 6 + 200) + prefix.length);
    w.text(`${prefix},"rows":[`);
    const starts: number[] = [];
    const ends: number[] = [];
    for (const r of rows) {
      add(total.assigned, r.assigned);
      add(total.tentative, r.tentative);
      if (starts.length > 0) w.text(',');
      starts.push(w.at);
      w.text(`{"kind":"${r.kind}","key":${JSON.stringify(r.key)},"label":${JSON.stringify(r.label)},`);
      w.series(r.assigned, r.tentative, r.capacity);
      w.text('}');
      ends.push(w.at);
    }
    w.text('],"totals":');
    const totalsAt = w.at;
    w.text('{');
    w.series(total.assigned, total.tentative, total.capacity);
    w.text('}');
    const totalsEnd = w.at;
    w.text('}');
    const body = w.done();
    return {
      prefix,
      totals: body.toString('utf8', totalsAt, totalsEnd),
      count: rows.length,
      body,
      starts,
      ends,
    };
  }

  const keyOf = (version: string, grid: Omit<TUtilisationQuery, 'limit' | 'cursor'>) => {
    const digest = createHash('sha256').update(JSON.stringify(grid)).digest('base64url').slice(0, 22);
    return `planning:utilisation:${version}:${digest}`;
  };

  /**
   * Grids of the current version kept in this process: whole grids as the bytes sent (and their
   * compressed forms, made once per encoding asked for), so a hit is neither a 4.8 MB cache read nor
   * a decode nor a compression; paged grids as computed, so the pages after a miss are cut from it
   * while its chunks are still being stored. The version is still read from the cache on every
   * request: a write on any replica moves it, and the copies of the old one are dropped.
   */
  type Kept = { body: EncodedBody } | { grid: Grid };
  const kept = new Map<string, Kept & { expires: number }>();
  let keptVersion: string | undefined;
  // A grid computed under a version that another request has since moved past is answered, not kept.
  const keep = <T extends Kept>(version: string, key: string, value: T): T => {
    if (version !== keptVersion) return value;
    kept.delete(key);
    kept.set(key, { ...value, expires: Date.now() + ttl * 1000 });
    if (kept.size > KEPT_GRIDS) kept.delete(kept.keys().next().value!);
    return value;
  };
  const keptOf = (version: string, key: string) => {
    if (version !== keptVersion) {
      kept.clear();
      keptVersion = version;
    }
    const k = kept.get(key);
    if (k && k.expires > Date.now()) return k;
    kept.delete(key);
    return undefined;
  };

  /** The bytes of rows [from, to) of a computed grid, as they are in the whole grid (comma-separated). */
  const rowBytes = (g: Grid, from: number, to: number) =>
    from < to ? g.body.subarray(g.starts[from], g.ends[to - 1]) : Buffer.alloc(0);

  /**
   * Runs a cache write after the answer has gone (the next turn of the event loop): the grid's key
   * holds its plan version, so a write that lands late is never read in place of a newer grid, and a
   * reader that comes before it computes the same bytes. A failed write only costs a later miss.
   */
  const later = (write: () => Promise<unknown>) =>
    setImmediate(() => write().catch((err) => ctx.log.app.warn({ err }, 'utilisation grid not cached')));

  /**
   * Stores a grid for paged reads: its head (everything but the rows, as JSON text around them) and
   * its rows in chunks of CHUNK lines, so a page is a few small cache reads and no parsing.
   */
  async function store(key: string, g: Grid): Promise<void> {
    const head: Head = { prefix: g.prefix, totals: g.totals, count: g.count };
    const writes = [ctx.cache.set(`${key}:head`, JSON.stringify(head), ttl)];
    for (let from = 0; from < g.count; from += CHUNK) {
      const to = Math.min(g.count, from + CHUNK);
      // A copy (Buffer.copy, not Buffer.from, which copies byte by byte).
      const rows = rowBytes(g, from, to);
      const chunk = Buffer.allocUnsafe(rows.length);
      rows.copy(chunk);
      // The commas between rows become line breaks (JSON text has none of its own).
      for (let j = from; j < to - 1; j++) chunk[g.ends[j]! - g.starts[from]!] = 0x0a;
      writes.push(ctx.cache.set(`${key}:rows:${from / CHUNK}`, chunk, ttl));
    }
    await Promise.all(writes);
  }

  /** The rows [offset, offset + limit) from the cache, or undefined if any chunk has gone. */
  async function cachedRows(key: string, head: Head, offset: number, limit: number) {
    const end = Math.min(head.count, offset + limit);
    if (offset >= end) return [];
    const first = Math.floor(offset / CHUNK);
    const chunks = await Promise.all(
      Array.from({ length: Math.floor((end - 1) / CHUNK) - first + 1 }, (_, i) =>
        ctx.cache.get(`${key}:rows:${first + i}`),
      ),
    );
    if (chunks.some((c) => c === undefined)) return undefined;
    return chunks.flatMap((c) => c!.split('\n')).slice(offset - first * CHUNK, end - first * CHUNK);
  }

  /** A page's JSON: the grid's head and totals around the rows' bytes, with the cursor of the next page. */
  const page = (head: Head, rows: Uint8Array, offset: number, limit: number) => {
    const next = offset + limit < head.count ? String(offset + limit) : null;
    return new EncodedBody(
      Buffer.concat([
        Buffer.from(`${head.prefix},"rows":[`),
        rows,
        Buffer.from(
          `],"totals":${head.totals},"rowCount":${head.count},"nextCursor":${JSON.stringify(next)}}`,
        ),
      ]),
    );
  };

  return {
    /**
     * The grid as JSON bytes, and whether it came from the cache. With `limit`, one page of rows (the
     * head and totals are the whole grid's); pages of one grid are cut from one computation.
     */
    async utilisation(q: TUtilisationQuery): Promise<{ json: EncodedBody; cache: 'HIT' | 'MISS' }> {
      const { limit, cursor, ...grid } = q;
      const version = await policy.version();
      const key = keyOf(version, grid);
      if (limit === undefined) {
        const own = keptOf(version, key);
        if (own && 'body' in own) return { json: own.body, cache: 'HIT' };
        const hit = await ctx.cache.getBuffer(key);
        if (hit) return { json: keep(version, key, { body: new EncodedBody(hit) }).body, cache: 'HIT' };
        const { body } = await compute(grid);
        later(() => ctx.cache.set(key, body, ttl));
        return { json: keep(version, key, { body: new EncodedBody(body) }).body, cache: 'MISS' };
      }
      const offset = Number(cursor ?? 0);
      const pageOf = (g: Grid) =>
        page(g, rowBytes(g, offset, Math.min(g.count, offset + limit)), offset, limit);
      const own = keptOf(version, `${key}:grid`);
      if (own && 'grid' in own) return { json: pageOf(own.grid), cache: 'HIT' };
      const cachedHead = await ctx.cache.get(`${key}:head`);
      const head = cachedHead ? (JSON.parse(cachedHead) as Head) : undefined;
      const rows = head && (await cachedRows(key, head, offset, limit));
      if (head && rows) return { json: page(head, Buffer.from(rows.join(',')), offset, limit), cache: 'HIT' };
      const g = await compute(grid);
      later(() => store(key, g));
      return { json: pageOf(keep(version, `${key}:grid`, { grid: g }).grid), cache: 'MISS' };
    },
  };
}
