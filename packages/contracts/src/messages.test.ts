import { describe, expect, it } from 'vitest';
import { ZTimeEntryCreate } from './time';

const messages = (input: unknown) =>
  Object.fromEntries(
    (ZTimeEntryCreate.safeParse(input).error?.issues ?? []).map((i) => [i.path.join('.'), i.message]),
  );

describe('validation messages', () => {
  it('say what is wrong in plain words, without schema text', () => {
    expect(
      messages({
        startedAt: 'yesterday',
        endedAt: '2026-11-30T12:00:00Z',
        note: 'x'.repeat(2001),
        projectId: 'p1',
      }),
    ).toEqual({
      startedAt: 'Enter a date and time',
      note: 'At most 2000 characters',
      projectId: 'Pick one from the list',
    });
    expect(messages({ endedAt: '2026-11-30T12:00:00Z' })).toEqual({ startedAt: 'Required' });
  });
});
