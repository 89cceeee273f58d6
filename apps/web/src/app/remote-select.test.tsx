import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { json, mockApi, renderWithProviders } from '../test/render';
import { RemoteSelect } from './remote-select';

type Team = { id: string; name: string };
const DESIGN = { id: '00000000-0000-4000-8000-0000000000d1', name: 'Design' };
const OPS = { id: '00000000-0000-4000-8000-0000000000d2', name: 'Operations' };

describe('RemoteSelect', { timeout: 30_000 }, () => {
  it('shows the chosen item fetched by id, and searches on the server as the user types', async () => {
    const searches: (string | null)[] = [];
    mockApi((url) => {
      if (url.pathname === `/api/v1/teams/${OPS.id}`) return json(OPS);
      if (url.pathname === '/api/v1/teams') {
        const q = url.searchParams.get('q');
        searches.push(q);
        return json({
          items: q ? [DESIGN].filter((t) => t.name.toLowerCase().includes(q)) : [DESIGN],
          nextCursor: null,
        });
      }
      return new Response(null, { status: 404 });
    });
    const onChange = vi.fn();
    const user = userEvent.setup({ delay: null });
    renderWithProviders(
      <RemoteSelect<Team>
        label="Team"
        path="/api/v1/teams"
        getLabel={(t) => t.name}
        value={OPS.id}
        onChange={onChange}
      />,
    );
    const input = screen.getByRole('combobox', { name: 'Team' });
    await waitFor(() => expect(input).toHaveValue('Operations'));
    // The chosen label in the box is not sent as a search (wait past the typing pause).
    await new Promise((r) => setTimeout(r, 500));
    expect(searches.every((q) => q === null)).toBe(true);
    await user.clear(input);
    await user.type(input, 'des');
    await waitFor(() => expect(searches).toContain('des'));
    await user.click(await screen.findByRole('option', { name: 'Design', hidden: true }));
    expect(onChange).toHaveBeenCalledWith(DESIGN.id, DESIGN);
  });
});
