import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api';
import { setLanguage } from '../../app/i18n';
import { DEFAULT_PREFERENCES, setPreferences } from '../../app/preferences';
import { wordProblems } from '../../app/problems';
import { timeProblems } from './problems';

wordProblems(timeProblems);

afterEach(async () => {
  setPreferences(DEFAULT_PREFERENCES);
  await setLanguage('en');
});

const refused = (status: number, body: Record<string, unknown>) =>
  new ApiError(status, { code: 'conflict', detail: 'The server says so', ...body });

describe('time refusals in the person language', () => {
  it('words them by their reason and fields, field errors by their code', async () => {
    setPreferences({ language: 'de' });
    await setLanguage('de');
    const overlap = refused(409, {
      reason: 'entry_overlap',
      conflict: {
        id: '00000000-0000-4000-8000-000000000001',
        startedAt: '2026-11-17T08:00:00Z',
        endedAt: '2026-11-17T12:00:00Z',
        timeZone: 'Europe/Berlin',
      },
    });
    expect(overlap.text).toBe('Überschneidet sich mit dem Eintrag 09:00–13:00 am Dienstag, 17. November');
    expect(
      refused(409, { reason: 'week_closed', week: '2026-W46', weekStatus: 'approved', action: 'submit' })
        .text,
    ).toBe('Die Woche 9. Nov. – 15. Nov. 2026 ist freigegeben und kann nicht eingereicht werden');
    expect(refused(423, { reason: 'period_locked', lockedBefore: '2026-11-01' }).text).toBe(
      'Die Zeit vor dem 01.11.2026 ist gesperrt',
    );
    const fields = refused(422, {
      errors: [
        { path: 'body.endedAt', code: 'end_before_start', message: 'The end must be after the start' },
        { path: 'body.note', code: 'too_big', message: 'At most 2000 characters' },
      ],
    });
    expect(fields.fieldErrors).toEqual({
      endedAt: 'Das Ende muss nach dem Beginn liegen',
      note: 'At most 2000 characters',
    });
  });

  it('keeps the server detail for a reason it does not know or a body that lacks its fields', () => {
    expect(refused(409, { reason: 'something_new' }).text).toBe('The server says so');
    expect(refused(423, { reason: 'period_locked' }).text).toBe('The server says so');
    expect(refused(409, {}).text).toBe('The server says so');
  });
});
