import { describe, expect, it } from 'vitest';
import { t } from './i18n';
import { activeEntry, homeFor, navFor, safeRedirect } from './nav';

describe('menu by role', () => {
  it('shows each role only what its permissions allow', () => {
    const labels = (role: 'admin' | 'manager' | 'employee' | 'customer') =>
      navFor(role).map((i) => t(i.label));
    const fleet = ['Book a vehicle', 'Bookings', 'Identity check', 'Vehicles'];
    const planning = ['Plan', 'Deliverables', 'Time off and holidays'];
    const autoscaler = ['Autoscaler', 'Autoscaler evaluation'];
    expect(labels('employee')).toEqual([
      'Home',
      'My time',
      'Timesheet',
      ...planning,
      'Directory',
      ...fleet,
      ...autoscaler,
    ]);
    expect(labels('employee')).not.toContain('Utilisation');
    expect(labels('employee')).not.toContain('Planning import');
    expect(labels('manager')).toEqual(expect.arrayContaining(['Utilisation', 'Planning import']));
    // A self-registered account sees the fleet and its own clusters, nothing of time or the directory,
    // and lands on booking.
    expect(labels('customer')).toEqual([...fleet, ...autoscaler]);
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

describe('current menu entry', () => {
  it('lights up one entry per page', () => {
    const items = navFor('admin');
    const active = (pathname: string) =>
      items.filter((i) => i.to === activeEntry(items, pathname)).map((i) => t(i.label));
    expect(active('/timesheet')).toEqual(['Timesheet']);
    expect(active('/time')).toEqual(['My time']);
    expect(active('/')).toEqual(['Home']);
    // Two entries where one path lies below the other: only the nearer one.
    expect(active('/autoscaler/evaluate')).toEqual(['Autoscaler evaluation']);
    expect(active('/autoscaler')).toEqual(['Autoscaler']);
    expect(active('/autoscaler/00000000-0000-4000-8000-000000000001')).toEqual(['Autoscaler']);
    expect(active('/fleet/bookings/00000000-0000-4000-8000-000000000001')).toEqual(['Bookings']);
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
