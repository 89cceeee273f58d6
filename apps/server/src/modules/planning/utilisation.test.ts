import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, createProject } from '../../../test/factories/directory';
import { type LoggedIn, loginAs } from '../../../test/factories/identity';
import { createAssignment } from '../../../test/factories/planning';
import type { TestApp } from '../../../test/helpers';
import { twoReplicas } from '../../../test/shared-redis';

// Two replicas on one database and one Redis: each keeps whole grids in its process, so a write on
// one must reach the other's next read at once, and every copy must be the bytes first computed.
describe('utilisation grid across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  let replicas: Awaited<ReturnType<typeof twoReplicas>>;
  let manager: LoggedIn;

  beforeAll(async () => {
    replicas = await twoReplicas('utilisation');
    ({ a, b } = replicas);
    manager = await loginAs(a, { role: 'manager' });
  });
  afterAll(() => replicas?.close());

  const grid = (t: TestApp) =>
    t.app.inject({
      method: 'GET',
      url: '/api/v1/planning/utilisation?from=2027-W01&to=2027-W04&groupBy=person',
      headers: manager.headers,
    });
  const yearIn = (t: TestApp, acceptEncoding?: string) =>
    t.app.inject({
      method: 'GET',
      url: '/api/v1/planning/utilisation?from=2027-W01&to=2027-W52',
      headers: {
        ...manager.headers,
        ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }),
      },
    });

  it('serves the same bytes from either instance and never a grid older than a write', async () => {
    const p = await createPerson(a, { weeklyHours: 40, weeklyCapacity: 40, name: 'Zoë Ångström' });
    const project = await createProject(a);
    await createAssignment(a, { projectId: project.id, personId: p.id }, [{ week: '2027-W02', hours: 12.5 }]);

    const first = await grid(a);
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    const row = first.json().rows.find((r: { key: string }) => r.key === p.id);
    expect(row).toMatchObject({ label: 'Zoë Ångström', assigned: [0, 12.5, 0, 0] });
    // From this instance's own copy, then from Redis on the other: the same bytes.
    for (const t of [a, b]) {
      const hit = await grid(t);
      expect(hit.headers['x-cache']).toBe('HIT');
      expect(hit.rawPayload.equals(first.rawPayload)).toBe(true);
    }

    await createAssignment(b, { projectId: project.id, personId: p.id }, [{ week: '2027-W03', hours: 8 }]);
    for (const t of [a, b]) {
      const after = await grid(t);
      expect(after.headers['x-cache']).toBe(t === a ? 'MISS' : 'HIT');
      expect(after.json().rows.find((r: { key: string }) => r.key === p.id).assigned).toEqual([
        0, 12.5, 8, 0,
      ]);
    }
  });

  it('sends a kept grid in the encoding the client takes, and the raw bytes to one that takes none', async () => {
    const raw = await yearIn(a);
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-encoding']).toBeUndefined();
    expect(raw.rawPayload.length).toBeGreaterThan(1024);
    for (const t of [a, b]) {
      const gzip = await yearIn(t, 'gzip, deflate');
      expect(gzip.headers['x-cache']).toBe('HIT');
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gzip.headers.vary).toMatch(/accept-encoding/);
      expect(Number(gzip.headers['content-length'])).toBe(gzip.rawPayload.length);
      expect(gunzipSync(gzip.rawPayload).equals(raw.rawPayload)).toBe(true);
      // A second hit sends the same compressed bytes (that they are kept, not made again: encoded-body.test.ts).
      expect((await yearIn(t, 'gzip, deflate')).rawPayload.equals(gzip.rawPayload)).toBe(true);
    }
    const br = await yearIn(a, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).equals(raw.rawPayload)).toBe(true);
    for (const refused of ['identity', 'gzip;q=0', 'compress']) {
      const plain = await yearIn(a, refused);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.rawPayload.equals(raw.rawPayload)).toBe(true);
    }
  });
});
