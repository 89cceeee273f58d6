import { ZProblem } from '@clockpilot/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TimeWorld, timeWorld } from '../../test/fixtures/time-world';

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; enum?: unknown[] };

/** Every field of a well-typed input, each string set to `nasty`: the value reaches the database if the contract lets it. */
function hostile(s: Schema | undefined, nasty: string): unknown {
  if (s?.enum?.length) return s.enum[0];
  if (s?.properties)
    return Object.fromEntries(Object.entries(s.properties).map(([k, p]) => [k, hostile(p, nasty)]));
  const type = [s?.type].flat();
  if (type.includes('integer') || type.includes('number')) return 1;
  if (type.includes('boolean')) return true;
  if (type.includes('array')) return [];
  return nasty;
}
const HOSTILE = ['a\u0000b', '0000-01-01', '0000-W01', '9999-12-31T23:00:00Z', '0000-01-01T00:00:00Z'];
type Op = {
  parameters?: Array<{ in: string; name: string; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
};

// Values that passed the contracts once and reached PostgreSQL: NUL, years it cannot shift, extremes.
const NASTY = [
  'a\u0000b',
  '0000-01-01',
  '9999-12-31',
  '0000-W01',
  '9999-12-31T23:59:59Z',
  '',
  'x'.repeat(5000),
  '-1',
  '1e309',
  '%',
  '00000000-0000-0000-0000-000000000000',
  '\ud800',
];
// Whole-database operations a random request must not start (a restore replaces the database under test).
const SKIP = /backup|restore|maintenance/;

/** Percent-encoded, a lone surrogate as the bytes a client could still send for it. */
function encode(v: unknown): string {
  try {
    return encodeURIComponent(String(v));
  } catch {
    return '%ED%A0%80';
  }
}

const value = (s?: Schema): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(...NASTY),
    s?.enum?.length ? fc.constantFrom(...s.enum) : fc.constant(null),
    fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.string()),
    fc.jsonValue({ maxDepth: 2 }),
  );

const bodyOf = (s?: Schema): fc.Arbitrary<unknown> =>
  s?.properties
    ? fc.record(Object.fromEntries(Object.entries(s.properties).map(([k, p]) => [k, value(p)])), {
        requiredKeys: [],
      })
    : value(s);

let w: TimeWorld;
let doc: { paths: Record<string, Record<string, Op>> };

beforeAll(async () => {
  w = await timeWorld();
  doc = (await w.t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(() => w.t.close());

describe('every documented operation, fed random and hostile input', () => {
  it('never answers 5xx and answers only what it documents', async () => {
    const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => !SKIP.test(path) && method !== 'head')
        .map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
    expect(ops.length).toBeGreaterThan(100);
    const failures: string[] = [];
    for (const { path, method, op } of ops) {
      const params = op.parameters ?? [];
      const input = fc.record({
        path: fc.tuple(...params.filter((p) => p.in === 'path').map((p) => value(p.schema)), fc.constant(0)),
        query: fc.dictionary(
          fc.constantFrom(...params.filter((p) => p.in === 'query').map((p) => p.name), 'x'),
          value(),
          { maxKeys: 3 },
        ),
        body: bodyOf(op.requestBody?.content['application/json']?.schema),
      });
      // Seeded per operation: a failure reproduces with the same inputs.
      const samples = fc.sample(input, { numRuns: 4, seed: path.length * 31 + method.length });
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      for (const nasty of HOSTILE) {
        const query = Object.fromEntries(
          params.filter((p) => p.in === 'query').map((p) => [p.name, hostile(p.schema, nasty)]),
        );
        samples.push({ path: [nasty, 0], query, body: hostile(bodySchema, nasty) });
      }
      for (const s of samples) {
        let i = 0;
        const url = path.replace(/\{\w+\}/g, () => encode(s.path[i++]));
        const query = new URLSearchParams(
          Object.entries(s.query).map(([k, v]): [string, string] => [k, String(v)]),
        ).toString();
        const res = await w.t.app.inject({
          method: method as 'GET',
          url: query ? `${url}?${query}` : url,
          headers: w.admin.headers,
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: JSON.stringify(s.body) }),
          ...(method === 'GET' || method === 'DELETE'
            ? {}
            : { headers: { ...w.admin.headers, 'content-type': 'application/json' } }),
        });
        const where = `${method} ${path} → ${res.statusCode}`;
        // A sign-out or password change among the inputs ends the admin's session: sign in again.
        if (res.statusCode === 401) await w.relogin();
        if (res.statusCode >= 500 && res.statusCode !== 503)
          failures.push(`${where}: ${res.body.slice(0, 200)}`);
        const documented = op.responses[res.statusCode] ?? op.responses.default;
        if (!documented) failures.push(`${where}: status not documented`);
        const type = String(res.headers['content-type'] ?? '').split(';')[0]!;
        if (documented?.content && res.body && !(type in documented.content))
          failures.push(`${where}: ${type} not documented`);
        if (type === 'application/problem+json' && !ZProblem.safeParse(res.json()).success)
          failures.push(`${where}: not a problem body`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
