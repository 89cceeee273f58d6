import type { TTimeEntry } from '@clockpilot/contracts/time';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { auth } from '../../app/auth';
import { json, mockApi, problem, renderWithProviders } from '../../test/render';
import { weekDays } from './calendar';
import { WeekCalendar } from './WeekCalendar';
import { HOUR_PX } from './week-geometry';

// jsdom lays nothing out: the grid is 44 px of hours and seven 100 px days, at the page's origin.
const GUTTER = 44;
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({
    left: 0,
    top: 0,
    width: GUTTER + 700,
    height: 24 * HOUR_PX,
  } as DOMRect);
  HTMLElement.prototype.setPointerCapture = () => {};
  if (!('PointerEvent' in window)) Object.defineProperty(window, 'PointerEvent', { value: MouseEvent });
});
afterEach(() => vi.restoreAllMocks());

const entry = {
  id: '00000000-0000-4000-8000-0000000000e1',
  startedAt: '2026-11-23T09:00:00.000Z',
  endedAt: '2026-11-23T11:00:00.000Z',
  timeZone: 'UTC',
  projectId: null,
  activityId: null,
  breaks: [
    {
      id: '00000000-0000-4000-8000-0000000000b1',
      startedAt: '2026-11-23T10:00:00.000Z',
      endedAt: '2026-11-23T10:15:00.000Z',
    },
  ],
  workedSeconds: 6300,
} as unknown as TTimeEntry;

function show(editable = true) {
  const onOpen = vi.fn();
  renderWithProviders(
    <WeekCalendar
      days={weekDays('2026-W48')}
      entries={[entry]}
      timeZone="UTC"
      editable={editable}
      label={() => 'Website'}
      onOpen={onOpen}
    />,
  );
  return onOpen;
}

/** A drag with the primary button from one grid point to another. */
function drag(from: Element, to: { x: number; y: number }, start: { x: number; y: number }) {
  fireEvent.pointerDown(from, { button: 0, pointerId: 1, clientX: start.x, clientY: start.y });
  const grid = screen.getByTestId('week-calendar').querySelector('[data-day]')!.parentElement!.parentElement!;
  fireEvent.pointerMove(grid, { pointerId: 1, clientX: to.x, clientY: to.y });
  fireEvent.pointerUp(grid, { pointerId: 1, clientX: to.x, clientY: to.y });
}

describe('calendar week view', () => {
  it('draws entries as blocks with their breaks', async () => {
    mockApi(async () => problem(404, { code: 'not_found' }), 'employee');
    show();
    const block = screen.getByTestId('calendar-block');
    expect(block).toHaveAccessibleName(/^Website, /);
    expect(block.style.top).toBe(`${9 * HOUR_PX}px`);
    expect(block.style.height).toBe(`${2 * HOUR_PX}px`);
    const pause = screen.getByTestId('calendar-break');
    expect(pause.style.top).toBe(`${HOUR_PX}px`);
    expect(pause.style.height).toBe(`${HOUR_PX / 4}px`);
  });

  it('moves a block to another day and hour, breaks included, in one save', async () => {
    const sent: unknown[] = [];
    mockApi(async (url, init) => {
      if (url.pathname === `/api/v1/time/entries/${entry.id}` && init.method === 'PATCH') {
        sent.push(JSON.parse(String(init.body)));
        return json(entry);
      }
      return problem(404, { code: 'not_found' });
    }, 'employee');
    await auth.ready();
    show();
    // Grab the block 30 px below its top on Monday, drop it on Wednesday with its top at 13:00.
    const grabY = 9 * HOUR_PX + 30;
    drag(
      screen.getByTestId('calendar-block'),
      { x: GUTTER + 250, y: 13 * HOUR_PX + 30 },
      { x: GUTTER + 50, y: grabY },
    );
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      startedAt: '2026-11-25T13:00:00.000Z',
      endedAt: '2026-11-25T15:00:00.000Z',
      breaks: [{ startedAt: '2026-11-25T14:00:00.000Z', endedAt: '2026-11-25T14:15:00.000Z' }],
    });
  });

  it('puts a refused resize back where it was and says why', async () => {
    mockApi(async (_url, init) => {
      if (init.method === 'PATCH') {
        return problem(409, { code: 'conflict', detail: 'Overlaps the entry 11:30–12:00 on Mon 23 Nov' });
      }
      return problem(404, { code: 'not_found' });
    }, 'employee');
    await auth.ready();
    show();
    drag(
      screen.getByTestId('calendar-resize'),
      { x: GUTTER + 50, y: 13 * HOUR_PX },
      { x: GUTTER + 50, y: 11 * HOUR_PX },
    );
    expect(await screen.findByText('Overlaps the entry 11:30–12:00 on Mon 23 Nov')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('calendar-block').style.height).toBe(`${2 * HOUR_PX}px`));
  });

  it('draws a new entry on an empty part of a day', async () => {
    const sent: unknown[] = [];
    mockApi(async (url, init) => {
      if (url.pathname === '/api/v1/time/entries' && init.method === 'POST') {
        sent.push(JSON.parse(String(init.body)));
        return json(entry, 201);
      }
      return problem(404, { code: 'not_found' });
    }, 'employee');
    await auth.ready();
    show();
    const tuesday = screen.getByTestId('week-calendar').querySelectorAll('[data-day]')[1]!;
    drag(tuesday, { x: GUTTER + 150, y: 16.5 * HOUR_PX }, { x: GUTTER + 150, y: 14 * HOUR_PX });
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ startedAt: '2026-11-24T14:00:00.000Z', endedAt: '2026-11-24T16:30:00.000Z' });
  });

  it('neither drags nor opens anything in a week that cannot be changed', async () => {
    mockApi(async () => problem(404, { code: 'not_found' }), 'employee');
    const onOpen = show(false);
    drag(
      screen.getByTestId('calendar-block'),
      { x: GUTTER + 250, y: 600 },
      { x: GUTTER + 50, y: 9 * HOUR_PX + 5 },
    );
    expect(onOpen).not.toHaveBeenCalled();
    expect(screen.queryByTestId('calendar-resize')).toBeNull();
    expect(screen.getByTestId('calendar-block').style.top).toBe(`${9 * HOUR_PX}px`);
  });
});
