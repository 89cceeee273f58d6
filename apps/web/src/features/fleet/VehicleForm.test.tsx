import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { auth } from '../../app/auth';
import { mockApi, problem, renderWithProviders } from '../../test/render';
import { VehicleForm } from './VehicleForm';

const REQUIRED: Array<[string, string]> = [
  ['Make', 'Renault'],
  ['Model', 'Clio'],
  ['Plate', 'ab-12 cd'],
  ['VIN', '1M8GDM9AXKP042789'],
  ['Category', 'compact'],
  ['Location', 'Lyon'],
];
const fill = async (user: ReturnType<typeof userEvent.setup>, fields: Array<[string, string]>) => {
  for (const [label, value] of fields) await user.type(screen.getByLabelText(label, { exact: false }), value);
};

describe('vehicle form', { timeout: 90_000 }, () => {
  let posted: Record<string, unknown> | undefined;

  beforeEach(async () => {
    posted = undefined;
    mockApi(
      (url, init) => {
        if (url.pathname === '/api/v1/fleet/vehicles' && init.method === 'POST') {
          posted = JSON.parse(String(init.body));
          return problem(422, {
            code: 'unprocessable',
            detail: 'The request cannot be processed',
            errors: [{ path: 'body.vin', message: 'The VIN check digit (9th character) does not match' }],
          });
        }
        return new Response(null, { status: 404 });
      },
      'manager',
      ['fleet'],
    );
    await auth.ready();
  });

  it('sends rates in minor units and puts the server’s VIN error on the VIN field', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<VehicleForm onDone={() => {}} onCancel={() => {}} />);
    await fill(user, [...REQUIRED, ['Daily rate', '45.5'], ['Deposit', '300']]);
    await user.click(screen.getByRole('button', { name: 'Add vehicle' }));
    const vin = screen.getByLabelText('VIN', { exact: false });
    expect(await screen.findByText('The VIN check digit (9th character) does not match')).toBeInTheDocument();
    expect(vin).toHaveAttribute('aria-invalid', 'true');
    expect(posted).toMatchObject({
      // The plate goes as typed; the server keeps it upper-case without spaces or dashes.
      plate: 'ab-12 cd',
      // The manager's own zone until they pick the location's.
      timeZone: 'UTC',
      dailyRateMinor: 4550,
      depositMinor: 30_000,
      extraKmMinor: 30,
    });
    expect(posted).not.toHaveProperty('status');
  });

  it('sends a yen rate as whole yen, JPY having no minor unit', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<VehicleForm onDone={() => {}} onCancel={() => {}} />);
    await user.clear(screen.getByLabelText('Currency', { exact: false }));
    await fill(user, [...REQUIRED, ['Currency', 'JPY'], ['Daily rate', '8000'], ['Deposit', '50000']]);
    await user.click(screen.getByRole('button', { name: 'Add vehicle' }));
    await screen.findByText('The VIN check digit (9th character) does not match');
    expect(posted).toMatchObject({ currency: 'JPY', dailyRateMinor: 8000, depositMinor: 50_000 });
  });
});
