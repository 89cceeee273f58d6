import { describe, expect, it } from 'vitest';
import { diffJson } from './JsonDiff';

describe('diffJson', () => {
  it('lists changed, added, removed and unchanged fields by path', () => {
    const rows = diffJson(
      { role: 'employee', active: true, profile: { tz: 'UTC', title: 'Dev' } },
      { role: 'manager', active: true, profile: { tz: 'Europe/Paris' }, email: 'a@b.c' },
    );
    expect(rows).toEqual([
      { path: 'active', kind: 'same', before: true, after: true },
      { path: 'email', kind: 'added', after: 'a@b.c' },
      { path: 'profile.title', kind: 'removed', before: 'Dev' },
      { path: 'profile.tz', kind: 'changed', before: 'UTC', after: 'Europe/Paris' },
      { path: 'role', kind: 'changed', before: 'employee', after: 'manager' },
    ]);
  });

  it('handles a creation (no before) and arrays as whole values', () => {
    expect(diffJson(null, { ids: [1, 2] })).toEqual([{ path: 'ids', kind: 'added', after: [1, 2] }]);
    expect(diffJson({ ids: [1, 2] }, { ids: [2, 1] })[0]?.kind).toBe('changed');
    expect(diffJson(null, null)).toEqual([]);
  });
});
