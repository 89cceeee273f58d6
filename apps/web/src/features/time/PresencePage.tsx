import type { TPage } from '@clockpilot/contracts/common';
import type { TPersonView, TTeam } from '@clockpilot/contracts/directory';
import type { TPresence } from '@clockpilot/contracts/time-presence';
import { Badge, Card, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { createLazyRoute } from '@tanstack/react-router';
import { api } from '../../app/auth';
import { duration, timeOfDay } from '../../app/format';
import { t } from '../../app/i18n';
import { EmptyState, ErrorState, LoadingState, PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';

export const Route = createLazyRoute('/_app/_time/presence')({ component: PresencePage });

const REFRESH_MS = 30_000;

type PresentPerson = TPresence['teams'][number]['people'][number];
export type TeamBoard = {
  teamId: string | null;
  name: string;
  in: PresentPerson[];
  break: PresentPerson[];
  out: { id: string; name: string }[];
};

/** Everyone of each team sorted into in, on break and out (members with no open entry). */
export function buildBoards(
  presence: TPresence,
  teams: { id: string; name: string }[],
  members: Map<string, { id: string; name: string }[]>,
): TeamBoard[] {
  const present = new Map(presence.teams.map((t) => [t.teamId, t.people]));
  const boards: TeamBoard[] = [];
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  for (const team of [...teams].sort(byName)) {
    const people = present.get(team.id) ?? [];
    const here = new Set(people.map((p) => p.personId));
    boards.push({
      teamId: team.id,
      name: team.name,
      in: people.filter((p) => p.state === 'in').sort(byName),
      break: people.filter((p) => p.state === 'break').sort(byName),
      out: (members.get(team.id) ?? []).filter((m) => !here.has(m.id)).sort(byName),
    });
  }
  // People in no team (or a team not listed) who are clocked in still show.
  const listed = new Set(teams.map((t) => t.id));
  const rest = presence.teams
    .filter((t) => t.teamId === null || !listed.has(t.teamId))
    .flatMap((t) => t.people);
  if (rest.length > 0) {
    boards.push({
      teamId: null,
      name: t('presence.others'),
      in: rest.filter((p) => p.state === 'in').sort(byName),
      break: rest.filter((p) => p.state === 'break').sort(byName),
      out: [],
    });
  }
  return boards;
}

function since(iso: string, now: string) {
  const minutes = Math.max(0, Math.round((Date.parse(now) - Date.parse(iso)) / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return { clock: timeOfDay(iso), span: h > 0 ? duration(minutes * 60) : `${m} min` };
}

export function PresencePage() {
  const me = useMe();
  // Administrators see every team; managers the teams they manage.
  const allTeams = me.role === 'admin';
  const presence = useQuery({
    queryKey: ['time', 'presence'],
    queryFn: ({ signal }) => api<TPresence>('GET', '/api/v1/time/presence', { signal }),
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: false,
  });
  const teams = useQuery({
    queryKey: ['directory', 'teams', 'presence', allTeams],
    queryFn: ({ signal }) =>
      api<TPage<TTeam>>('GET', '/api/v1/teams', {
        query: { active: 'true', limit: 200, managedByMe: allTeams ? undefined : 'true' },
        signal,
      }),
    staleTime: 5 * 60_000,
  });
  const teamList = teams.data?.items ?? [];
  const memberQueries = useQueries({
    queries: teamList.map((t) => ({
      queryKey: ['directory', 'people', 'team', t.id, 'presence'],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api<TPage<TPersonView>>('GET', '/api/v1/people', {
          query: { teamId: t.id, active: 'true', limit: 200 },
          signal,
        }),
      staleTime: 5 * 60_000,
    })),
  });
  const members = new Map<string, { id: string; name: string }[]>();
  teamList.forEach((t, i) => {
    members.set(t.id, memberQueries[i]?.data?.items ?? []);
  });
  const boards = presence.data ? buildBoards(presence.data, teamList, members) : [];

  const updated = presence.data ? timeOfDay(presence.data.now, undefined, undefined, true) : null;

  return (
    <>
      <PageTitle
        actions={
          presence.data && (
            <Group gap="xs" role="status" aria-live="polite">
              <Badge color="green" variant="light" size="lg">
                {t('presence.countIn', { count: presence.data.counts.in })}
              </Badge>
              <Badge color="orange" variant="light" size="lg">
                {t('presence.countBreak', { count: presence.data.counts.break })}
              </Badge>
            </Group>
          )
        }
      >
        {t('nav.presence')}
      </PageTitle>
      {updated && (
        <Text size="sm" c="dimmed" mb="sm">
          {t('presence.asOf', { time: updated })}
        </Text>
      )}
      {presence.isPending || teams.isPending ? (
        <LoadingState label={t('presence.loading')} />
      ) : presence.isError ? (
        <ErrorState error={presence.error} onRetry={() => void presence.refetch()} />
      ) : boards.length === 0 ? (
        <EmptyState title={t('presence.noTeams')}>
          {allTeams ? t('presence.noTeamsAdmin') : t('presence.noTeamsManager')}
        </EmptyState>
      ) : (
        <Stack gap="md">
          {boards.map((b) => (
            <Board key={b.teamId ?? 'none'} board={b} now={presence.data.now} />
          ))}
        </Stack>
      )}
    </>
  );
}

function Board({ board, now }: { board: TeamBoard; now: string }) {
  const id = `team-${board.teamId ?? 'none'}`;
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="section"
      aria-labelledby={id}
      data-testid="presence-team"
    >
      <Title order={2} size="h4" id={id} mb="sm">
        {board.name}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        <Column title={t('presence.in')} color="green" count={board.in.length} empty={t('presence.nobodyIn')}>
          {board.in.map((p) => (
            <Present key={p.personId} name={p.name} what={t('presence.since')} since={since(p.since, now)} />
          ))}
        </Column>
        <Column
          title={t('presence.break')}
          color="orange"
          count={board.break.length}
          empty={t('presence.nobodyBreak')}
        >
          {board.break.map((p) => (
            <Present
              key={p.personId}
              name={p.name}
              what={t('presence.breakSince')}
              since={since(p.breakSince ?? p.since, now)}
            />
          ))}
        </Column>
        <Column
          title={t('presence.out')}
          color="gray"
          count={board.out.length}
          empty={board.teamId ? t('presence.everyoneIn') : '—'}
        >
          {board.out.map((p) => (
            <List.Item key={p.id}>
              <Text size="sm" c="dimmed">
                {p.name}
              </Text>
            </List.Item>
          ))}
        </Column>
      </SimpleGrid>
    </Card>
  );
}

function Column({
  title,
  color,
  count,
  empty,
  children,
}: {
  title: string;
  color: string;
  count: number;
  empty: string;
  children: React.ReactNode;
}) {
  return (
    <Stack gap={6}>
      <Group gap="xs">
        <Title order={3} size="h6">
          {title}
        </Title>
        <Badge size="sm" color={color} variant="light" aria-label={`${count} ${title.toLowerCase()}`}>
          {count}
        </Badge>
      </Group>
      {count === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <List listStyleType="none" spacing={6} aria-label={title}>
          {children}
        </List>
      )}
    </Stack>
  );
}

/** One person in or on a break, with when that began. */
function Present({
  name,
  what,
  since,
}: {
  name: string;
  what: string;
  since: { clock: string; span: string };
}) {
  return (
    <List.Item>
      <Text size="sm" fw={500}>
        {name}
      </Text>
      <Text size="xs" c="dimmed">
        {what} {since.clock} ({since.span})
      </Text>
    </List.Item>
  );
}
