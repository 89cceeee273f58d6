import { describe, expect, it } from 'vitest';
import { t } from './i18n';
import { navFor } from './nav';

describe('menu entries of the team and admin screens', () => {
  const labels = (role: 'admin' | 'manager' | 'employee') => navFor(role).map((i) => t(i.label));

  it('shows presence to managers and admins, time rules to admins only', () => {
    expect(labels('employee')).not.toContain('Presence');
    expect(labels('employee')).not.toContain('Time rules and locks');
    expect(labels('manager')).toContain('Presence');
    expect(labels('manager')).not.toContain('Time rules and locks');
    expect(labels('admin')).toEqual(
      expect.arrayContaining(['Presence', 'Time rules and locks', 'Users', 'Audit log']),
    );
  });
});
