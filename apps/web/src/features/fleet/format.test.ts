import type { TBooking } from '@clockpilot/contracts/fleet';
import { describe, expect, it } from 'vitest';
import { BOOKING } from './fixtures';
import { countdown, dayBars, majorUnits, minorUnits, money, paymentStep } from './format';
import { handoverBody } from './HandoverForm';

const pay = (p: Partial<TBooking['payment']>) => ({ ...BOOKING.payment, ...p });

describe('booking payment steps, as the server reports them', () => {
  it('follows the hold, the card, a scheduled authorisation and the capture', () => {
    expect(paymentStep({ state: 'held', payment: pay({}) })).toBe('pay');
    expect(paymentStep({ state: 'held', payment: pay({ intentId: 'pi_1' }) })).toBe('card');
    // Confirmed far ahead: nothing held on the card yet.
    expect(paymentStep({ state: 'confirmed', payment: pay({}) })).toBe('scheduled');
    expect(
      paymentStep({ state: 'confirmed', payment: pay({ intentId: 'pi_1', authorizedMinor: 900 }) }),
    ).toBe('authorised');
    expect(paymentStep({ state: 'closed', payment: pay({ authorizedMinor: 900, capturedMinor: 500 }) })).toBe(
      'captured',
    );
    expect(paymentStep({ state: 'expired', payment: pay({}) })).toBe('none');
  });
});

describe('amounts in minor units, as Stripe counts them', () => {
  it('reads and writes cents, whole yen and thousandths of a dinar', () => {
    expect(money(4550, 'EUR')).toMatch(/45\.50/);
    expect(money(8000, 'JPY')).toMatch(/8,000/);
    expect(money(8000, 'JPY')).not.toMatch(/80/);
    expect(money(12_345, 'KWD')).toMatch(/12\.345/);
    expect([minorUnits('45.5', 'EUR'), minorUnits(8000, 'JPY'), minorUnits('1.25', 'BHD')]).toEqual([
      4550, 8000, 1250,
    ]);
    expect([majorUnits(4550, 'EUR'), majorUnits(8000, 'JPY'), majorUnits(1250, 'BHD')]).toEqual([
      45.5, 8000, 1.25,
    ]);
  });
});

describe('hold countdown', () => {
  it('shows minutes and seconds left and stops at zero', () => {
    const now = Date.parse('2026-11-23T09:00:00Z');
    expect(countdown('2026-11-23T09:14:05Z', now)).toBe('14:05');
    expect(countdown('2026-11-23T09:00:09Z', now)).toBe('0:09');
    expect(countdown('2026-11-23T08:59:00Z', now)).toBe('0:00');
  });
});

describe('calendar bars', () => {
  const from = new Date('2026-12-01T00:00:00Z');
  it('places an item on the days it touches, turnaround included, clipped to the shown range', () => {
    // 3 December 10:00 to 5 December 11:00 touches the 3rd, 4th and 5th.
    expect(dayBars({ startAt: '2026-12-03T10:00:00Z', busyUntil: '2026-12-05T11:00:00Z' }, from, 28)).toEqual(
      {
        startDay: 2,
        days: 3,
      },
    );
    expect(dayBars({ startAt: '2026-11-20T10:00:00Z', busyUntil: '2026-12-02T09:00:00Z' }, from, 28)).toEqual(
      {
        startDay: 0,
        days: 2,
      },
    );
    expect(dayBars({ startAt: '2026-12-27T10:00:00Z', busyUntil: '2027-01-10T00:00:00Z' }, from, 28)).toEqual(
      {
        startDay: 26,
        days: 2,
      },
    );
  });
});

describe('hand-over body', () => {
  it('sends numbers, drops blank damage rows and never an amount', () => {
    const body = handoverBody({
      odometerKm: '1200',
      fuelEighths: 6,
      photoIds: { front: 'a' },
      damage: [
        { area: ' rear bumper ', severity: 'scratch', note: '' },
        { area: '  ', severity: 'dent', note: 'ignored' },
      ],
      notes: ' ',
    });
    expect(body).toEqual({
      odometerKm: 1200,
      fuelEighths: 6,
      photoIds: { front: 'a' },
      damage: [{ area: 'rear bumper', severity: 'scratch', note: null }],
      notes: null,
    });
  });
});
