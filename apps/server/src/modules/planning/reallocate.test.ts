import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWeeks } from './planning.weeks';
import { type ReallocationInput, reallocate } from './reallocate';
import { decodeImage, encodeImage } from './reallocation.image';

const W0 = '2026-11-23'; // the current week's Monday in these cases
const wk = (n: number) => addWeeks(W0, n);
const sum = (h: Record<string, number>) => Object.values(h).reduce((a, b) => a + b, 0);

function input(over: Partial<ReallocationInput> & Pick<ReallocationInput, 'assignments'>): ReallocationInput {
  return {
    oldDueWeek: wk(4),
    newDueWeek: wk(6),
    currentWeek: W0,
    capacity: () => 40,
    otherLoad: () => 0,
    ...over,
  };
}

describe('reallocate (examples)', () => {
  it('shifts the shape by the due date shift when there is room', () => {
    const r = reallocate(
      input({ assignments: [{ id: 'a', personId: 'p', hours: { [wk(1)]: 8, [wk(3)]: 16 } }] }),
    );
    expect(r.shiftWeeks).toBe(2);
    expect(r.assignments[0]!.hours).toEqual({ [wk(3)]: 8, [wk(5)]: 16 });
    expect(r.assignments[0]!.moves).toEqual([
      { from: wk(1), to: wk(3), hours: 8 },
      { from: wk(3), to: wk(5), hours: 16 },
    ]);
    expect(r.overAllocations).toEqual([]);
  });

  it('keeps past weeks and clamps an earlier due date to the current week', () => {
    const r = reallocate(
      input({
        oldDueWeek: wk(4),
        newDueWeek: wk(1),
        assignments: [{ id: 'a', personId: 'p', hours: { [wk(-2)]: 5, [wk(0)]: 8, [wk(4)]: 8 } }],
      }),
    );
    // Shift −3: week 0 would go to −3 (past) → clamped to week 0; week 4 → week 1.
    expect(r.assignments[0]!.hours).toEqual({ [wk(-2)]: 5, [wk(0)]: 8, [wk(1)]: 8 });
  });

  it('spills to the nearest week with room, and reports what fits nowhere', () => {
    // 10 h free in every week of a 3-week window; 40 h to place in the ideal week 2.
    const r = reallocate(
      input({
        oldDueWeek: wk(2),
        newDueWeek: wk(2),
        capacity: () => 10,
        assignments: [{ id: 'a', personId: 'p', hours: { [wk(2)]: 40 } }],
      }),
    );
    const a = r.assignments[0]!;
    expect(a.hours).toEqual({ [wk(0)]: 10, [wk(1)]: 10, [wk(2)]: 20 });
    expect(a.unplacedHours).toBe(10);
    expect(r.overAllocations).toEqual([{ personId: 'p', week: wk(2), hoursOver: 10 }]);
  });

  it('counts other assignments against capacity and moves placeholders as they are', () => {
    const r = reallocate(
      input({
        otherLoad: (_p, w) => (w === wk(3) ? 36 : 0),
        assignments: [
          { id: 'b', personId: null, hours: { [wk(1)]: 30 } },
          { id: 'a', personId: 'p', hours: { [wk(1)]: 8 } },
        ],
      }),
    );
    expect(r.assignments.map((a) => a.id)).toEqual(['a', 'b']);
    // Week 3 has 4 h free: 4 there, the other 4 in the nearest earlier week with room.
    expect(r.assignments[0]!.hours).toEqual({ [wk(2)]: 4, [wk(3)]: 4 });
    expect(r.assignments[1]!.hours).toEqual({ [wk(3)]: 30 });
  });

  it('moves nothing when the new due week is already past', () => {
    const r = reallocate(
      input({ newDueWeek: wk(-1), assignments: [{ id: 'a', personId: 'p', hours: { [wk(2)]: 8 } }] }),
    );
    expect(r.applied).toBe(false);
    expect(r.assignments[0]!.hours).toEqual({ [wk(2)]: 8 });
  });
});

// ---------- properties ----------

const quarter = fc.integer({ min: 1, max: 160 }).map((n) => n / 4);
const hoursArb = fc
  .dictionary(fc.integer({ min: -4, max: 20 }).map(String), quarter, { maxKeys: 10 })
  .map((d) => Object.fromEntries(Object.entries(d).map(([k, v]) => [wk(Number(k)), v])));
const caseArb = fc.record({
  oldDue: fc.integer({ min: 0, max: 20 }),
  newDue: fc.integer({ min: 0, max: 20 }),
  capacity: fc.integer({ min: 0, max: 160 }).map((n) => n / 4),
  load: fc.integer({ min: 0, max: 60 }),
  assignments: fc.array(fc.record({ personId: fc.constantFrom('p1', 'p2', null), hours: hoursArb }), {
    minLength: 1,
    maxLength: 5,
  }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function run(c: Case) {
  const inp = input({
    oldDueWeek: wk(c.oldDue),
    newDueWeek: wk(c.newDue),
    capacity: () => c.capacity,
    otherLoad: (_p, w) => (w === wk(1) ? c.load : 0),
    assignments: c.assignments.map((a, i) => ({ id: `a${i}`, ...a })),
  });
  return { inp, out: reallocate(inp) };
}

describe('reallocate (properties)', () => {
  it('preserves every assignment total exactly', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { inp, out } = run(c);
        for (const a of out.assignments) {
          const original = inp.assignments.find((x) => x.id === a.id)!;
          expect(sum(a.hours)).toBeCloseTo(sum(original.hours), 9);
        }
      }),
    );
  });

  it('never moves hours into the past or after the new due week, and leaves the past alone', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { inp, out } = run(c);
        for (const a of out.assignments) {
          const original = inp.assignments.find((x) => x.id === a.id)!;
          for (const m of a.moves) {
            expect(m.to >= W0).toBe(true);
            expect(m.to <= inp.newDueWeek).toBe(true);
            expect(m.from >= W0).toBe(true);
          }
          for (const [w, h] of Object.entries(original.hours)) if (w < W0) expect(a.hours[w]).toBe(h);
        }
      }),
    );
  });

  it('over-allocates a person only when no week of the window had room left', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { inp, out } = run(c);
        if (!out.applied) return;
        const window = Array.from({ length: c.newDue + 1 }, (_, i) => wk(i));
        for (const person of ['p1', 'p2']) {
          const mine = out.assignments.filter((a) => a.personId === person);
          if (!mine.some((a) => a.unplacedHours > 0)) continue;
          for (const w of window) {
            const used = mine.reduce((s, a) => s + (a.hours[w] ?? 0), 0) + inp.otherLoad(person, w);
            expect(used).toBeGreaterThanOrEqual(Math.floor(c.capacity * 4) / 4);
          }
        }
      }),
    );
  });

  it('is deterministic whatever the input order', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { inp, out } = run(c);
        const reversed = reallocate({ ...inp, assignments: [...inp.assignments].reverse() });
        expect(reversed).toEqual(out);
      }),
    );
  });
});

describe('stored images', () => {
  it('restore every week exactly, through JSON, from the current form and the older ones', () => {
    const images = fc.dictionary(fc.constantFrom('a', 'b', 'c'), hoursArb, { maxKeys: 3 });
    fc.assert(
      fc.property(images, (image) => {
        const hours = new Map(Object.entries(image));
        const stored = JSON.parse(JSON.stringify(encodeImage(W0, hours)));
        expect(decodeImage(stored)).toEqual({ from: W0, hours });
        // Images stored before they kept their first week: the compact map and the week maps, all weeks.
        expect(decodeImage(stored.hours)).toEqual({ from: undefined, hours });
        expect(decodeImage(JSON.parse(JSON.stringify(image)))).toEqual({ from: undefined, hours });
      }),
    );
  });

  it('keep their first week, and a week and its quarter hours per element', () => {
    expect(
      encodeImage(
        W0,
        new Map([
          ['a', { [wk(3)]: 1.25, [wk(0)]: 4 }],
          ['b', {}],
        ]),
      ),
    ).toEqual({
      from: W0,
      hours: { a: [W0, 16, 0, 0, 5], b: [] },
    });
  });
});
