import type { TClockInBody, TTimeEntry } from '@clockpilot/contracts/time';
import { Select, SimpleGrid, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../app/api';
import { api } from '../../app/auth';
import { t } from '../../app/i18n';
import { TIME, timeKeys, useSaveEntry } from './api';
import { useWorkPickers } from './pickers';

type Work = { projectId: string | null; activityId: string | null; note: string };

export const workOf = (e: TTimeEntry | null | undefined): Work => ({
  projectId: e?.projectId ?? null,
  activityId: e?.activityId ?? null,
  note: e?.note ?? '',
});

/** What a clock-in sends: only the parts that are set. */
export function clockInBody(w: Work): TClockInBody {
  return {
    ...(w.projectId ? { projectId: w.projectId } : {}),
    ...(w.activityId ? { activityId: w.activityId } : {}),
    ...(w.note.trim() ? { note: w.note.trim() } : {}),
  };
}

/** The caller's newest entries: a new timer starts with the first one's work; the rest feed the recents. */
export function useRecentEntries(enabled = true) {
  return useQuery({
    queryKey: [...timeKeys.all, 'recent-entries'],
    queryFn: async ({ signal }) =>
      (await api<{ items: TTimeEntry[] }>('GET', TIME.entries, { query: { limit: 30 }, signal })).items,
    enabled,
  });
}

/**
 * Project, activity and note of the timer. Before clocking in they start from the last entry; while
 * the timer runs, each change is saved on the open entry at once (the note when its field is left).
 */
export function useTimerWork(open: TTimeEntry | null) {
  const recent = useRecentEntries(open === null);
  const save = useSaveEntry();
  const [draft, setDraft] = useState<Work | null>(null);
  const work = draft ?? workOf(open ?? recent.data?.[0]);
  const pickers = useWorkPickers();

  // A clock-in or clock-out starts over from what the server holds.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the open entry changes
  useEffect(() => setDraft(null), [open?.id]);

  function change(next: Work, persist: boolean) {
    const fitted = pickers.fits(next.activityId, next.projectId) ? next : { ...next, activityId: null };
    setDraft(fitted);
    if (!open || !persist) return;
    save.mutate(
      {
        id: open.id,
        body: {
          projectId: fitted.projectId,
          activityId: fitted.activityId,
          note: fitted.note.trim() || null,
        },
      },
      {
        onError: (e) =>
          notifications.show({ color: 'red', title: t('timer.notSaved'), message: errorMessage(e) }),
      },
    );
  }

  const fields = (
    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs" data-testid="timer-work">
      <Select
        label={t('entry.project')}
        placeholder={t('entry.noProject')}
        data={pickers.projectOptions}
        value={work.projectId}
        clearable
        searchable
        onChange={(projectId) => change({ ...work, projectId }, true)}
      />
      <Select
        label={t('entry.activity')}
        placeholder={t('entry.noActivity')}
        data={pickers.activityOptions(work.projectId)}
        value={work.activityId}
        clearable
        searchable
        onChange={(activityId) => change({ ...work, activityId }, true)}
      />
      <TextInput
        label={t('entry.note')}
        placeholder={t('entry.notePlaceholder')}
        maxLength={2000}
        value={work.note}
        onChange={(e) => change({ ...work, note: e.currentTarget.value }, false)}
        onBlur={() => open && (open.note ?? '') !== work.note.trim() && change(work, true)}
      />
    </SimpleGrid>
  );
  return { work, fields };
}
