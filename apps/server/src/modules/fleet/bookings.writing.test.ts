import { describe, expect, it } from 'vitest';
import { writesUnderWay } from './bookings.writing';

const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h));

describe('booking writes under way', () => {
  it('makes only overlapping ranges of the same vehicle wait, until the write ends', async () => {
    const writing = writesUnderWay();
    const end = writing.begin('car', at(10), at(14));
    expect(writing.overlapping('car', at(13), at(15))).toBeInstanceOf(Promise);
    // Touching ranges, another vehicle: nothing to wait for.
    expect(writing.overlapping('car', at(14), at(16))).toBeUndefined();
    expect(writing.overlapping('car', at(8), at(10))).toBeUndefined();
    expect(writing.overlapping('van', at(10), at(14))).toBeUndefined();

    const waited = writing.overlapping('car', at(9), at(11))!;
    let settled = false;
    void waited.then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    end();
    await waited;
    expect(settled).toBe(true);
    expect(writing.overlapping('car', at(10), at(14))).toBeUndefined();
  });

  it('answers the waiters with the booking a write committed, and nothing when it failed', async () => {
    const writing = writesUnderWay();
    const won = { kind: 'booking' as const, id: 'b1', startAt: at(10), endAt: at(12), busyUntil: at(13) };
    const end = writing.begin('car', at(10), at(13));
    const waited = writing.overlapping('car', at(11), at(15))!;
    end(won);
    expect(await waited).toEqual(won);
    const failed = writing.begin('car', at(10), at(13));
    const waitedAgain = writing.overlapping('car', at(11), at(15))!;
    failed();
    expect(await waitedAgain).toBeUndefined();
  });

  it('keeps a second write of the vehicle under way when the first ends', () => {
    const writing = writesUnderWay();
    const first = writing.begin('car', at(10), at(12));
    const second = writing.begin('car', at(12), at(14));
    first();
    expect(writing.overlapping('car', at(10), at(12))).toBeUndefined();
    expect(writing.overlapping('car', at(13), at(14))).toBeInstanceOf(Promise);
    second();
    expect(writing.overlapping('car', at(13), at(14))).toBeUndefined();
  });
});
