import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, createUser } from '../../../test/factories/identity';
import { createTestRuntime, freePort, testDatabase } from '../../../test/helpers';
import { type ServerProcess, startServerProcess } from '../../../test/server-process';

// The server runs as its own process on PostgreSQL (so it can be killed) and the load comes from
// this one, at a fixed rate sized for a shared 2-core machine: 20 requests a second from 100 people,
// each running the cycle clock-in → status → clock-out → edit the entry → status. Collected only in
// the PostgreSQL mode of the suite (vitest.config.ts).

const PEOPLE = 100;
const RATE = 20;
const TIMEOUT_MS = 10_000;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC'];

type Pending = { step: StepName; entryId?: string; note?: string };
type Person = { token: string; step: number; entryId?: string; pending?: Pending };
type StepName = 'clock-in' | 'status-in' | 'clock-out' | 'edit' | 'status-out';
type Answer = { status: number; body: Record<string, unknown> };

/** What the server acknowledged: each of these must be in the database whatever happens next. */
const acked = { clockIns: new Set<string>(), clockOuts: new Set<string>(), notes: new Map<string, string>() };

const STEPS: Array<{
  name: StepName;
  method: 'GET' | 'POST' | 'PATCH';
  path: (p: Person) => string;
  expect: number;
  /** Checks a success body against the person's state and records what it acknowledges. */
  done: (p: Person, body: Answer['body'], note?: string) => boolean;
}> = [
  {
    name: 'clock-in',
    method: 'POST',
    path: () => '/api/v1/time/clock-in',
    expect: 201,
    done: (p, body) => {
      p.entryId = String(body.id);
      acked.clockIns.add(p.entryId);
      return body.endedAt === null;
    },
  },
  {
    name: 'status-in',
    method: 'GET',
    path: () => '/api/v1/time/status',
    expect: 200,
    done: (p, body) => body.state === 'in' && (body.openEntry as { id?: string })?.id === p.entryId,
  },
  {
    name: 'clock-out',
    method: 'POST',
    path: () => '/api/v1/time/clock-out',
    expect: 200,
    done: (p, body) => {
      acked.clockOuts.add(String(body.id));
      return body.id === p.entryId && body.endedAt !== null;
    },
  },
  {
    name: 'edit',
    method: 'PATCH',
    path: (p) => `/api/v1/time/entries/${p.entryId}`,
    expect: 200,
    done: (p, body, note) => {
      acked.notes.set(p.entryId!, note!);
      return body.note === note;
    },
  },
  {
    name: 'status-out',
    method: 'GET',
    path: () => '/api/v1/time/status',
    expect: 200,
    done: (_, body) => body.state === 'out',
  },
];

async function call(url: string, method: string, token: string, body?: object): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : {} };
}

type Tally = Map<string, number>;

/** The person's next step; the outcome is counted as `ok`, `<step> → <status>` or `<step> → <error>`. */
async function act(base: string, p: Person, tally: Tally) {
  const count = (outcome: string) => tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
  // A request left without an answer (a timeout, a crash): first ask the server what became of it.
  if (p.pending) {
    try {
      await reconcile(base, p);
    } catch (err) {
      count(`reconcile → ${(err as Error).name}`);
      return;
    }
  }
  const step = STEPS[p.step]!;
  const note = step.name === 'edit' ? `load ${randomBytes(6).toString('hex')}` : undefined;
  p.pending = { step: step.name, entryId: p.entryId, note };
  let answer: Answer;
  try {
    answer = await call(`${base}${step.path(p)}`, step.method, p.token, note ? { note } : undefined);
  } catch (err) {
    // No answer: whether it took effect is unknown, so the request stays pending.
    count(`${step.name} → ${(err as Error).name}: ${(err as { cause?: { code?: string } }).cause?.code}`);
    return;
  }
  p.pending = undefined;
  const ok = answer.status === step.expect && step.done(p, answer.body, note);
  count(ok ? 'ok' : `${step.name} → ${answer.status}`);
  if (ok) p.step = (p.step + 1) % STEPS.length;
}

/**
 * Starts one request every 1/RATE s for `seconds`, each from the next person not waiting for an
 * answer (a slot with nobody free counts as `missed`: the server fell behind). `crash`, when given,
 * runs once the time is up, after every free person has sent one more request, so it cuts a burst.
 */
async function load(base: string, people: Person[], seconds: number, crash?: () => Promise<void>) {
  const tally: Tally = new Map();
  const free = [...people];
  const inFlight = new Set<Promise<void>>();
  const send = (p: Person) => {
    const task: Promise<void> = act(base, p, tally).finally(() => {
      inFlight.delete(task);
      free.push(p);
    });
    inFlight.add(task);
  };
  const started = performance.now();
  let slots = 0;
  for (let elapsed = 0; elapsed < seconds * 1000; elapsed = performance.now() - started) {
    for (const due = Math.floor((elapsed * RATE) / 1000); slots < due; slots++) {
      const p = free.shift();
      if (p) send(p);
      else tally.set('missed', (tally.get('missed') ?? 0) + 1);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  if (crash) {
    for (const p of free.splice(0)) send(p);
    await new Promise((r) => setTimeout(r, 30));
    await crash();
  }
  await Promise.all(inFlight);
  const total = [...tally.values()].reduce((a, b) => a + b, 0);
  return { tally, total, ok: tally.get('ok') ?? 0, summary: JSON.stringify(Object.fromEntries(tally)) };
}

/** After a crash: what the server now shows of the person's unanswered request, acknowledged from here on. */
async function reconcile(base: string, p: Person) {
  const { step, entryId, note } = p.pending!;
  const status = await call(`${base}/api/v1/time/status`, 'GET', p.token);
  const open = status.body.openEntry as { id: string } | null;
  if (step === 'clock-in' && open) {
    acked.clockIns.add(open.id);
    Object.assign(p, { entryId: open.id, step: 1 });
  } else if (step === 'clock-out' && !open) {
    acked.clockOuts.add(entryId!);
    p.step = 3;
  } else if (step === 'edit') {
    const entry = await call(`${base}/api/v1/time/entries/${entryId}`, 'GET', p.token);
    if (entry.body.note === note) {
      acked.notes.set(entryId!, note!);
      p.step = 4;
    }
  }
  p.pending = undefined;
}

let dbUrl: string;
let server: ServerProcess;
let env: Record<string, string | undefined>;
const people: Person[] = [];

beforeAll(async () => {
  const made = await testDatabase();
  dbUrl = made.url!;
  const t = { runtime: await createTestRuntime({ database: made.database }) };
  for (let i = 0; i < PEOPLE; i++) {
    const user = await createUser(t, { timeZone: ZONES[i % ZONES.length] });
    people.push({ token: await createApiToken(t, user), step: 0 });
  }
  await t.runtime.close();
  env = {
    DATABASE_URL: dbUrl,
    REDIS_URL: process.env.REDIS_URL,
    REDIS_KEY_PREFIX: `cpt:${randomBytes(4).toString('hex')}:`,
    // The load comes from one address standing for many clients; the per-user limits stay as they are.
    RATE_LIMIT_MAX_REQUESTS: '1000000',
    // A loaded test machine's event loop must not read as overload (503 by design).
    MAX_EVENT_LOOP_DELAY_MS: '0',
    BACKUP_SCHEDULE: 'off',
  };
  server = await startServerProcess(await freePort(), env);
  // Person i starts i steps into the cycle, so every round of the load holds each kind of request.
  const tally: Tally = new Map();
  for (let i = 0; i < PEOPLE; i += 10) {
    await Promise.all(
      people.slice(i, i + 10).map(async (p, j) => {
        for (let step = 0; step < (i + j) % STEPS.length; step++) await act(server.url, p, tally);
      }),
    );
  }
  expect([...tally.keys()]).toEqual(['ok']);
}, 180_000);

afterAll(async () => {
  await server?.kill();
});

/** The database holds what was acknowledged and nothing half-written; `pending` requests may have gone either way. */
async function expectConsistent() {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows: entries } = await client.query<{ id: string; ended_at: Date | null; note: string | null }>(
      'select id, ended_at, note from time_entries',
    );
    const byId = new Map(entries.map((e) => [e.id, e]));
    const pending = people.flatMap((p) => (p.pending ? [p.pending] : []));
    const pendingOf = (step: StepName) => pending.filter((q) => q.step === step);

    // Every acknowledged clock-in, clock-out and edit is stored.
    const lost = [...acked.clockIns].filter((id) => !byId.has(id));
    expect(lost, 'acknowledged clock-ins missing').toEqual([]);
    expect([...acked.clockOuts].filter((id) => byId.get(id)?.ended_at === null)).toEqual([]);
    expect([...acked.notes].filter(([id, note]) => byId.get(id)?.note !== note)).toEqual([]);

    // Nothing is stored that was not acknowledged, beyond what the requests without an answer did.
    const unacked = entries.filter((e) => !acked.clockIns.has(e.id));
    expect(unacked.length).toBeLessThanOrEqual(pendingOf('clock-in').length);
    const closedUnacked = entries.filter(
      (e) =>
        e.ended_at && !acked.clockOuts.has(e.id) && !pendingOf('clock-out').some((q) => q.entryId === e.id),
    );
    expect(closedUnacked).toEqual([]);
    const noteUnacked = entries.filter(
      (e) =>
        e.note !== null &&
        acked.notes.get(e.id) !== e.note &&
        !pendingOf('edit').some((q) => q.note === e.note),
    );
    expect(noteUnacked).toEqual([]);

    // Each edit wrote its entry and its audit record in one transaction: the newest record of each
    // edited entry names the note it holds, and no entry that was not changed has one.
    const { rows: audits } = await client.query<{ entity_id: string; note: string }>(
      `select distinct on (entity_id) entity_id, after->>'note' as note from audit_events
       where action = 'time_entry.updated' order by entity_id, occurred_at desc`,
    );
    const edited = entries.filter((e) => e.note !== null);
    expect(audits.map((a) => [a.entity_id, a.note]).sort()).toEqual(edited.map((e) => [e.id, e.note]).sort());

    // The report rollup (kept by triggers in each writing transaction) equals a rebuild from the entries.
    await client.query('begin');
    await client.query('create temp table kept on commit drop as select * from time_day_totals');
    await client.query('select time_rollup_rebuild()');
    const { rows } = await client.query<{ stale: number; missing: number }>(
      `select (select count(*) from (table kept except all table time_day_totals) a)::int as stale,
              (select count(*) from (table time_day_totals except all table kept) b)::int as missing`,
    );
    await client.query('rollback');
    expect(rows[0]).toEqual({ stale: 0, missing: 0 });
  } finally {
    await client.end();
  }
}

describe('the time API under load on PostgreSQL', () => {
  it('answers more than 99.9 % of 60 s of clock-ins, clock-outs, status reads and edits, and never 5xx', async () => {
    const run = await load(server.url, people, 60);
    expect(run.total, run.summary).toBeGreaterThanOrEqual(RATE * 59);
    expect(run.ok / run.total, run.summary).toBeGreaterThan(0.999);
    expect(
      [...run.tally.keys()].filter((k) => / 5\d\d$/.test(k)),
      run.summary,
    ).toEqual([]);
    await expectConsistent();
  }, 120_000);

  it('keeps every acknowledged write and nothing half-written through kill -9 under load, then serves again', async () => {
    const before = await load(server.url, people, 8, () => server.kill());
    const cut = people.filter((p) => p.pending).length;
    // The kill really cut requests in flight.
    expect(cut, before.summary).toBeGreaterThan(0);
    await expectConsistent();

    // Restarted on the same database; each person whose request went unanswered first learns from
    // the server what became of it (act) and carries on from there.
    server = await startServerProcess(await freePort(), env);
    const after = await load(server.url, people, 5);
    expect(after.ok / after.total, after.summary).toBeGreaterThan(0.999);
    await expectConsistent();
  }, 150_000);
});
