import { describe, expect, it } from 'vitest';
import { planningSearch } from './routes';

describe('planning URL search', () => {
  it('keeps the heatmap grouping, so a link to a team or project view opens grouped', () => {
    expect(planningSearch({ groupBy: 'team' }).groupBy).toBe('team');
    expect(planningSearch({ groupBy: 'project', from: '2026-W05' })).toEqual({
      from: '2026-W05',
      groupBy: 'project',
      project: undefined,
      person: undefined,
      team: undefined,
    });
  });

  it('drops a grouping the API does not know', () => {
    expect(planningSearch({ groupBy: 'client' }).groupBy).toBeUndefined();
    expect(planningSearch({ groupBy: ['team'] }).groupBy).toBeUndefined();
  });
});
