import type { TTimeEntry } from '@clockpilot/contracts/time';
import { Box, Group, ScrollArea, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type PointerEvent as ReactPointerEvent, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../app/api';
import { t } from '../../app/i18n';
import { useSaveEntry } from './api';
import { hm, shortDay, timeOfDay } from './format';
import { boxOf, DAY_PX, drawn, HOUR_PX, instantAt, minutesAt, moved } from './week-geometry';

type Span = { startedAt: string; endedAt: string };
type Body = Span & { breaks?: Span[] };
/** A drag in progress: what it does, the entry it acts on, where it began and where it is. */
type Drag = {
  kind: 'create' | 'move' | 'resize';
  entry?: TTimeEntry;
  fromDay: number;
  fromY: number;
  day: number;
  y: number;
  /** The pointer's distance below the block's top when a move began. */
  grab: number;
};

const GUTTER = 44;
const HOURS = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`);

/** The span a drag would save, in the zone's wall clock. */
function spanOfDrag(d: Drag, days: string[], zone: string): Span | null {
  const day = days[d.day]!;
  if (d.kind === 'create') return drawn(day, d.fromY, d.y, zone);
  const e = d.entry!;
  if (!e.endedAt) return null;
  if (d.kind === 'move')
    return moved({ startedAt: e.startedAt, endedAt: e.endedAt }, day, d.y - d.grab, zone);
  const end = instantAt(days[d.fromDay]!, minutesAt(d.y), zone);
  return Date.parse(end) > Date.parse(e.startedAt) ? { startedAt: e.startedAt, endedAt: end } : null;
}

/**
 * The week as a day × hour grid: entries are blocks with their breaks shaded. Dragging on an empty
 * part of a day draws a new entry, dragging a block moves it, its lower edge resizes it; each drop is
 * one save with the same rules as the entry form, and a refused one snaps back with the server's words.
 */
export function WeekCalendar({
  days,
  entries,
  timeZone,
  editable,
  label,
  onOpen,
}: {
  days: string[];
  entries: TTimeEntry[];
  timeZone: string;
  editable: boolean;
  label: (e: TTimeEntry) => string;
  onOpen: (e: TTimeEntry, day: string) => void;
}) {
  const grid = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [pending, setPending] = useState<{ id?: string; span: Span } | null>(null);
  const save = useSaveEntry();
  const now = new Date().toISOString();
  const scroll = useRef<HTMLDivElement>(null);
  // Open on the working day, not at midnight.
  useEffect(() => {
    if (scroll.current) scroll.current.scrollTop = 7 * HOUR_PX;
  }, []);

  /** Column and offset of a pointer inside the grid. */
  function place(ev: { clientX: number; clientY: number }) {
    const r = grid.current!.getBoundingClientRect();
    const width = (r.width - GUTTER) / days.length;
    const day = Math.min(days.length - 1, Math.max(0, Math.floor((ev.clientX - r.left - GUTTER) / width)));
    return { day, y: ev.clientY - r.top };
  }

  function begin(ev: ReactPointerEvent, kind: Drag['kind'], entry?: TTimeEntry, blockTop = 0) {
    if (!editable || save.isPending || ev.button !== 0) return;
    ev.preventDefault();
    ev.stopPropagation();
    grid.current!.setPointerCapture(ev.pointerId);
    const { day, y } = place(ev);
    setDrag({ kind, entry, fromDay: day, fromY: y, day, y, grab: y - blockTop });
  }

  function end() {
    const d = drag;
    setDrag(null);
    if (!d) return;
    const movedAtAll = Math.abs(d.y - d.fromY) >= 4 || d.day !== d.fromDay;
    if (!movedAtAll) {
      if (d.entry) onOpen(d.entry, days[d.fromDay]!);
      return;
    }
    const span = spanOfDrag(d, days, timeZone);
    if (!span) return;
    const body: Body = { ...span };
    if (d.kind === 'move' && d.entry!.breaks.length > 0) {
      // The breaks travel with the entry.
      const by = Date.parse(span.startedAt) - Date.parse(d.entry!.startedAt);
      const shift = (iso: string) => new Date(Date.parse(iso) + by).toISOString();
      body.breaks = d.entry!.breaks.map((b) => ({
        startedAt: shift(b.startedAt),
        endedAt: shift(b.endedAt ?? d.entry!.endedAt!),
      }));
    }
    // Shown where it was dropped until the server answers; a refusal puts it back.
    setPending({ id: d.entry?.id, span });
    save.mutate(
      { id: d.entry?.id, body },
      {
        onSuccess: () =>
          notifications.show({
            color: 'green',
            message: t(d.kind === 'create' ? 'calendar.added' : 'calendar.saved', {
              span: `${timeOfDay(span.startedAt, timeZone)}–${timeOfDay(span.endedAt, timeZone)}`,
            }),
          }),
        onError: (e) =>
          notifications.show({ color: 'red', title: t('calendar.notChanged'), message: errorMessage(e) }),
        onSettled: () => setPending(null),
      },
    );
  }

  const live = drag ? spanOfDrag(drag, days, timeZone) : null;
  /** The span an entry shows now: where it is dragged or saved to, else where it is. */
  const spanOf = (e: TTimeEntry) =>
    drag?.entry?.id === e.id && live ? live : pending?.id === e.id ? pending.span : e;
  const draft = drag?.kind === 'create' ? live : pending && !pending.id ? pending.span : null;

  return (
    <ScrollArea h={560} viewportRef={scroll} type="auto" data-testid="week-calendar">
      <Box
        ref={grid}
        pos="relative"
        miw={GUTTER + days.length * 90}
        style={{ height: DAY_PX, touchAction: 'none', userSelect: 'none' }}
        onPointerMove={(ev) => drag && setDrag({ ...drag, ...place(ev) })}
        onPointerUp={end}
        onPointerCancel={() => setDrag(null)}
      >
        {HOURS.map((hour, h) => (
          <Text
            key={hour}
            size="xs"
            c="dimmed"
            pos="absolute"
            left={0}
            w={GUTTER - 6}
            ta="right"
            className="tabular"
            style={{ top: h * HOUR_PX, borderTop: '1px solid var(--mantine-color-default-border)' }}
          >
            {hour}
          </Text>
        ))}
        <Group
          gap={0}
          wrap="nowrap"
          pos="absolute"
          style={{ left: GUTTER }}
          right={0}
          top={0}
          align="stretch"
        >
          {days.map((day) => (
            <Box
              key={day}
              pos="relative"
              flex={1}
              data-day={day}
              aria-label={shortDay(day)}
              style={{ height: DAY_PX, borderLeft: '1px solid var(--mantine-color-default-border)' }}
              onPointerDown={(ev) => begin(ev, 'create')}
            >
              {entries.map((e) => {
                const span = spanOf(e);
                const box = boxOf(span, day, timeZone, now);
                if (!box) return null;
                // An entry from the day before is moved from its own day; running ones stay put.
                const canDrag = editable && e.endedAt !== null && box.startsHere;
                return (
                  <Box
                    key={e.id}
                    data-testid="calendar-block"
                    aria-label={`${label(e)}, ${timeOfDay(span.startedAt, timeZone)}–${span.endedAt ? timeOfDay(span.endedAt, timeZone) : t('mytime.now')}`}
                    pos="absolute"
                    left={2}
                    right={2}
                    bg="blue.1"
                    c="blue.9"
                    px={4}
                    style={{
                      top: box.top,
                      height: box.height,
                      borderLeft: '3px solid var(--mantine-color-blue-6)',
                      borderRadius: 4,
                      overflow: 'hidden',
                      cursor: canDrag ? 'grab' : 'pointer',
                      opacity: pending?.id === e.id ? 0.6 : 1,
                    }}
                    onPointerDown={(ev) => {
                      ev.stopPropagation();
                      if (canDrag) begin(ev, 'move', e, box.top);
                      else if (editable) onOpen(e, day);
                    }}
                  >
                    {e.breaks.map((b) => {
                      const inner = boxOf(b, day, timeZone, now);
                      return (
                        inner && (
                          <Box
                            key={b.id}
                            data-testid="calendar-break"
                            pos="absolute"
                            left={0}
                            right={0}
                            style={{
                              top: inner.top - box.top,
                              height: inner.height,
                              background:
                                'repeating-linear-gradient(45deg, transparent 0 4px, var(--mantine-color-gray-4) 4px 8px)',
                            }}
                          />
                        )
                      );
                    })}
                    <Text size="xs" fw={600} pos="relative" lineClamp={1}>
                      {label(e)}
                    </Text>
                    <Text size="xs" pos="relative" className="tabular">
                      {hm(e.workedSeconds)}
                    </Text>
                    {editable && e.endedAt && box.endsHere && (
                      <Box
                        data-testid="calendar-resize"
                        pos="absolute"
                        left={0}
                        right={0}
                        bottom={0}
                        h={8}
                        style={{ cursor: 'ns-resize' }}
                        onPointerDown={(ev) => begin(ev, 'resize', e, box.top)}
                      />
                    )}
                  </Box>
                );
              })}
              {draft &&
                (() => {
                  const box = boxOf(draft, day, timeZone, now);
                  return (
                    box && (
                      <Box
                        data-testid="calendar-draft"
                        pos="absolute"
                        left={2}
                        right={2}
                        bg="green.1"
                        style={{
                          top: box.top,
                          height: box.height,
                          border: '1px dashed var(--mantine-color-green-6)',
                          borderRadius: 4,
                        }}
                      >
                        <Text size="xs" px={4} className="tabular">
                          {timeOfDay(draft.startedAt, timeZone)}–{timeOfDay(draft.endedAt, timeZone)}
                        </Text>
                      </Box>
                    )
                  );
                })()}
            </Box>
          ))}
        </Group>
      </Box>
    </ScrollArea>
  );
}
