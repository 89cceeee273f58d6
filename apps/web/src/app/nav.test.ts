import { describe, expect, it } from 'vitest';
import { homeFor, navFor, safeRedirect } from './nav';

describe('menu by role', () => {
  it('shows each role only what its permissions allow', () => {
    const labels = (role: 'admin' | 'manager' | 'employee' | 'customer') => navFor(role).map((i) => i.label);
    const fleet = ['Book a vehicle', 'Bookings', 'Identity check', 'Vehicles'];
    expect(labels('employee')).toEqual(['Home', 'My time', 'Timesheet', 'Directory', ...fleet]);
    // A renter from outside sees the fleet and nothing of time or the directory, and lands on booking.
    expect(labels('customer')).toEqual(fleet);
    expect(homeFor('customer')).toBe('/fleet');
    expect(labels('manager')).toContain('Approvals');
    expect(labels('manager')).toContain('Reports');
    expect(labels('manager')).toContain('Fleet dashboard');
    expect(labels('employee')).not.toContain('Fleet dashboard');
    expect(labels('manager')).not.toContain('Users');
    expect(labels('admin')).toContain('Users');
    expect(labels('admin')).toContain('Audit log');
    expect(homeFor('employee')).toBe('/');
  });
});

describe('post-login redirect', () => {
  it('accepts same-origin paths only', () => {
    expect(safeRedirect('/timesheet?week=2026-W48')).toBe('/timesheet?week=2026-W48');
    expect(safeRedirect('//evil.example/x')).toBeUndefined();
    expect(safeRedirect('/\\evil.example')).toBeUndefined();
    expect(safeRedirect('https://evil.example')).toBeUndefined();
    expect(safeRedirect('/login?redirect=/x')).toBeUndefined();
    expect(safeRedirect(42)).toBeUndefined();
  });
});
