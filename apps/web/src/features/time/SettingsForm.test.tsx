import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { SettingsForm } from './TimeAdminPage';

const settings = {
  rounding: { mode: 'none' as const, minutes: 15 },
  overtime: { dailyThresholdMinutes: 480, weekly: true },
  updatedAt: null,
  updatedBy: null,
};

describe('time rules', () => {
  it('takes the daily overtime threshold in hours and sends minutes', async () => {
    const puts: unknown[] = [];
    mockApi(async (url, init) => {
      if (url.pathname === '/api/v1/time/settings' && init.method === 'PUT') {
        const body = JSON.parse(String(init.body));
        puts.push(body);
        return json({ ...settings, ...body, updatedAt: null, updatedBy: null });
      }
      return problem(404, { code: 'not_found' });
    });
    await auth.ready();
    renderWithProviders(<SettingsForm settings={settings} />);
    const field = screen.getByLabelText('Overtime after (hours worked in a day)') as HTMLInputElement;
    expect(field.value).toBe('8');
    fireEvent.change(field, { target: { value: '7.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save rules' }));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toMatchObject({ overtime: { dailyThresholdMinutes: 450, weekly: true } });
  });
});
