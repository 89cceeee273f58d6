import { ZProblem } from '@clockpilot/contracts';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
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
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
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

/** The collection a path belongs to: `/api/v1/teams/{id}/members` → `/api/v1/teams`. */
const collectionOf = (path: string) => path.split('/{')[0]!;

/** An id from a success body (a record, a page or a list), to read that record back with a GET. */
function idIn(body: unknown): string | undefined {
  const b = body as { id?: unknown; items?: Array<{ id?: unknown }> } | Array<{ id?: unknown }> | null;
  const first = Array.isArray(b) ? b[0] : b?.items ? b.items[0] : b;
  return typeof first?.id === 'string' ? first.id : undefined;
}

let w: TimeWorld;
let doc: { paths: Record<string, Record<string, Op>>; components: Record<string, unknown> };

/** Each documented JSON success body's schema, compiled once, with the document's components beside it. */
function bodyValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const compiled = new Map<object, ValidateFunction>();
  return (schema: object) => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile({ ...schema, components: doc.components });
      compiled.set(schema, validate);
    }
    return validate;
  };
}

beforeAll(async () => {
  w = await timeWorld();
  doc = (await w.t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(() => w.t.close());

describe('every documented operation, fed random and hostile input', () => {
  it('never answers 5xx and answers only what it documents, success bodies as their schema says', async () => {
    const validatorOf = bodyValidator();
    const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => !SKIP.test(path) && method !== 'head')
        .map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
    expect(ops.length).toBeGreaterThan(100);
    const failures: string[] = [];
    // Ids that success bodies named, per collection: a GET of one record also gets a real id, so its
    // success body is checked too.
    const seen = new Map<string, string>();
    let checked = 0;
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
      const known = seen.get(collectionOf(path));
      if (method === 'GET' && known) samples.unshift({ path: [known, known, 0], query: {}, body: undefined });
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
        const schema = documented?.content?.[type]?.schema;
        if (res.statusCode < 300 && type === 'application/json' && schema) {
          const validate = validatorOf(schema);
          checked++;
          const id = idIn(res.json());
          if (id) seen.set(collectionOf(path), id);
          if (!validate(res.json()))
            failures.push(`${where}: body does not match its schema: ${JSON.stringify(validate.errors)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  }, 120_000);
});
