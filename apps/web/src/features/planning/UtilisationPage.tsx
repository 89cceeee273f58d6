import type { TProject, TTeam } from '@clockpilot/contracts/directory';
import { Group, NumberInput, SegmentedControl, Stack, Text } from '@mantine/core';
import { createLazyRoute, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { t } from '../../app/i18n';
import { RemoteSelect } from '../../app/remote-select';
import { EmptyState, ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { isoWeekOf, shiftWeek, today } from '../time/calendar';
import { useUtilisation } from './api';
import { HeatLegend, Heatmap } from './Heatmap';
import { DEFAULT_THRESHOLDS, type Thresholds } from './heat';
import { RangeNav } from './RangeNav';

export const Route = createLazyRoute('/_app/_planning/planning/utilisation')({ component: UtilisationPage });

const WEEKS = 12;

export function UtilisationPage() {
  const me = useMe();
  const search = useSearch({ from: '/_app/_planning/planning/utilisation' });
  const navigate = useNavigate({ from: '/planning/utilisation' });
  const current = isoWeekOf(today(me.timeZone));
  const from = search.from ?? current;
  const team = search.team ?? null;
  const project = search.project ?? null;
  const groupBy = search.groupBy ?? 'person';
  const [thresholds, setThresholds] = useState<Thresholds>(DEFAULT_THRESHOLDS);
  const query = useUtilisation({ from, to: shiftWeek(from, WEEKS - 1), team, project, groupBy });
  const setSearch = (patch: Partial<typeof search>) =>
    void navigate({ search: (s: typeof search) => ({ ...s, ...patch }) });
  const pct = (v: number | string, fallback: number) => (typeof v === 'number' ? v / 100 : fallback);

  return (
    <>
      <PageTitle>{t('planning.utilisation')}</PageTitle>
      <Stack gap="sm">
        <Group gap="sm" wrap="wrap" align="flex-end">
          <RemoteSelect<TTeam>
            label={t('planning.team')}
            placeholder={t('planning.allTeams')}
            clearable
            path="/api/v1/teams"
            getLabel={(x) => x.name}
            value={team}
            onChange={(id) => setSearch({ team: id ?? undefined })}
            w={{ base: '100%', xs: 200 }}
          />
          <RemoteSelect<TProject>
            label={t('planning.project')}
            placeholder={t('planning.allProjects')}
            clearable
            path="/api/v1/projects"
            getLabel={(p) => `${p.code} · ${p.name}`}
            value={project}
            onChange={(id) => setSearch({ project: id ?? undefined })}
            w={{ base: '100%', xs: 240 }}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="heat-group-label">
              {t('planning.groupBy')}
            </Text>
            <SegmentedControl
              aria-labelledby="heat-group-label"
              data={[
                { value: 'person', label: t('planning.person') },
                { value: 'team', label: t('planning.team') },
                { value: 'project', label: t('planning.project') },
              ]}
              value={groupBy}
              onChange={(g) => setSearch({ groupBy: g === 'person' ? undefined : (g as typeof groupBy) })}
            />
          </Stack>
          <NumberInput
            label={t('planning.fullFrom')}
            value={Math.round(thresholds.full * 100)}
            onChange={(v) => setThresholds((x) => ({ ...x, full: pct(v, x.full) }))}
            min={1}
            max={Math.round(thresholds.over * 100)}
            w={110}
          />
          <NumberInput
            label={t('planning.overAbove')}
            value={Math.round(thresholds.over * 100)}
            onChange={(v) => setThresholds((x) => ({ ...x, over: pct(v, x.over) }))}
            min={Math.round(thresholds.full * 100)}
            max={500}
            w={110}
          />
          <RangeNav from={from} count={WEEKS} current={current} onChange={(f) => setSearch({ from: f })} />
        </Group>
        <HeatLegend thresholds={thresholds} />
        {query.isPending ? (
          <LoadingState />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        ) : query.data.rows.length === 0 ? (
          <EmptyState title={t('planning.nobody')}>
            {t(team || project ? 'planning.nobodyFiltered' : 'planning.nobodyHint')}
          </EmptyState>
        ) : (
          <Heatmap
            data={query.data}
            thresholds={thresholds}
            onOpen={(row, week) =>
              void navigate({ to: '/planning', search: { person: row.key ?? undefined, from: week } })
            }
          />
        )}
      </Stack>
    </>
  );
}
