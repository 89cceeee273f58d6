import { HPA_DEFAULT_RULES } from '@clockpilot/contracts/autoscaler-decide';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { ClusterForm } from './ClusterForm';

describe('cluster form', () => {
  it('sends nothing while the name breaks the rules, then creates the cluster', async () => {
    const posted: unknown[] = [];
    mockApi(async (_url, init) => {
      posted.push(JSON.parse(String(init.body)));
      return json({ id: '00000000-0000-4000-8000-000000000001' }, 201);
    });
    const onDone = vi.fn();
    renderWithProviders(<ClusterForm onDone={onDone} onCancel={() => {}} />);
    fireEvent.change(screen.getByLabelText(/^Name/), { target: { value: 'no spaces' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create cluster' }));
    expect(
      await screen.findByText('3 to 50 letters, digits, "-" or "_"', {
        selector: '.mantine-TextInput-error',
      }),
    ).toBeTruthy();
    expect(posted).toEqual([]);

    fireEvent.change(screen.getByLabelText(/^Name/), { target: { value: 'web-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create cluster' }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(posted).toMatchObject([{ name: 'web-1', minServers: 1, maxServers: 10, mode: 'hpa' }]);
  });

  it('puts the server’s 422 field errors next to their fields', async () => {
    mockApi(async () =>
      problem(422, {
        code: 'validation',
        detail: 'Invalid',
        errors: [{ path: 'body.maxServers', message: 'Over your quota of 200 servers' }],
      }),
    );
    const onDone = vi.fn();
    renderWithProviders(<ClusterForm onDone={onDone} onCancel={() => {}} />);
    fireEvent.change(screen.getByLabelText(/^Name/), { target: { value: 'web-2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create cluster' }));
    const message = await screen.findByText('Over your quota of 200 servers');
    expect(screen.getByLabelText('Maximum servers').getAttribute('aria-describedby') ?? '').toContain(
      message.id,
    );
    expect(onDone).not.toHaveBeenCalled();
  });

  it('edits the scaling policies from Kubernetes’ defaults and puts the server’s errors on their row', async () => {
    const posted: { behavior?: unknown }[] = [];
    mockApi(async (_url, init) => {
      posted.push(JSON.parse(String(init.body)));
      return problem(400, {
        code: 'validation_failed',
        detail: 'Invalid',
        errors: [{ path: 'body.behavior.scaleUp.policies.1.periodSeconds', message: 'At most 1800' }],
      });
    });
    renderWithProviders(<ClusterForm onDone={() => {}} onCancel={() => {}} />);
    fireEvent.change(screen.getByLabelText(/^Name/), { target: { value: 'web-3' } });
    expect(screen.queryByLabelText('Scale up policy 1 value')).toBeNull();
    fireEvent.click(screen.getByRole('switch', { name: /Scaling policies/ }));

    // Kubernetes' defaults: two scale-up policies (Pods, then Percent), one scale-down policy.
    const [pods, percent] = HPA_DEFAULT_RULES.scaleUp.policies;
    const [down] = HPA_DEFAULT_RULES.scaleDown.policies;
    expect((screen.getByLabelText('Scale up policy 1 value') as HTMLInputElement).value).toBe(
      `${pods.value}`,
    );
    expect((screen.getByLabelText('Scale up policy 2 value') as HTMLInputElement).value).toBe(
      `${percent.value} %`,
    );
    expect((screen.getByLabelText('Scale down policy 1 period (s)') as HTMLInputElement).value).toBe(
      `per ${down.periodSeconds} s`,
    );
    expect(screen.queryByLabelText('Scale down policy 2 value')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Add scale up policy' }));
    fireEvent.change(screen.getByLabelText('Scale up policy 3 value'), { target: { value: '7' } });
    fireEvent.click(screen.getByRole('button', { name: 'Remove scale up policy 2' }));
    fireEvent.click(screen.getByRole('button', { name: 'Create cluster' }));

    const message = await screen.findByText('At most 1800');
    expect(
      screen.getByLabelText('Scale up policy 2 period (s)').getAttribute('aria-describedby') ?? '',
    ).toContain(message.id);
    // The added row starts as a copy of the first default policy.
    expect(posted[0]?.behavior).toEqual({
      ...HPA_DEFAULT_RULES,
      scaleUp: { ...HPA_DEFAULT_RULES.scaleUp, policies: [pods, { ...pods, value: 7 }] },
    });
  }, 90_000); // each change re-renders the whole form: 10 s alone, 40 s on a loaded machine
});
