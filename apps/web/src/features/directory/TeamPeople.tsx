import type { TPersonView, TTeam } from '@clockpilot/contracts/directory';
import { Group, List, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconUserMinus } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { api } from '../../app/auth';
import { type MessageKey, t } from '../../app/i18n';
import { usePagedList } from '../../app/list';
import { RemoteSelect } from '../../app/remote-select';
import { LoadingState, RowAction } from '../../app/ui';
import { DIRECTORY_PATH, directoryKeys, useTeamPerson } from './api';

/** The toast after a change, by the list changed and the change. */
const DONE = {
  managers: { add: 'directory.nowManager', remove: 'directory.noLongerManager' },
  members: { add: 'directory.nowMember', remove: 'directory.noLongerMember' },
} satisfies Record<'managers' | 'members', Record<'add' | 'remove', MessageKey>>;

/** Managers and members of a team, with add and remove. */
export function TeamPeople({ team, onTeamChange }: { team: TTeam; onTeamChange: (t: TTeam) => void }) {
  const change = useTeamPerson();
  const members = usePagedList<TPersonView>({
    queryKey: [...directoryKeys.list('people'), 'team', team.id],
    path: DIRECTORY_PATH.people,
    params: { teamId: team.id, active: 'true' },
    limit: 200,
  });
  const managers = useQueries({
    queries: team.managerIds.map((id) => ({
      queryKey: ['lookup', DIRECTORY_PATH.people, 'id', id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api<TPersonView>('GET', `${DIRECTORY_PATH.people}/${id}`, { signal }),
      staleTime: 5 * 60_000,
    })),
  });
  const [adding, setAdding] = useState<{ members: string | null; managers: string | null }>({
    members: null,
    managers: null,
  });

  function run(role: 'members' | 'managers', action: 'add' | 'remove', person: { id: string; name: string }) {
    change.mutate(
      { teamId: team.id, personId: person.id, role, action },
      {
        onSuccess: (result) => {
          if (role === 'managers' && result && typeof result === 'object' && 'managerIds' in result) {
            onTeamChange(result as TTeam);
          }
          setAdding((a) => ({ ...a, [role]: null }));
          notifications.show({
            color: 'green',
            message: t(DONE[role][action], { person: person.name, team: team.name }),
          });
        },
        onError: (e) =>
          notifications.show({ color: 'red', title: t('directory.notChanged'), message: errorMessage(e) }),
      },
    );
  }

  const managerPeople = team.managerIds.map((id, i) => ({ id, name: managers[i]?.data?.name ?? '…' }));

  return (
    <Stack gap="lg" mt="lg">
      <Section
        title={t('directory.managers')}
        empty={t('directory.noManagers')}
        removeLabel="directory.removeManager"
        people={managerPeople}
        onRemove={(p) => run('managers', 'remove', p)}
        picker={
          <RemoteSelect<TPersonView>
            label={t('directory.addManager')}
            placeholder={t('directory.people.search')}
            path={DIRECTORY_PATH.people}
            params={{ active: 'true' }}
            exclude={team.managerIds}
            getLabel={(p) => p.name}
            value={adding.managers}
            disabled={change.isPending}
            onChange={(id, item) => {
              setAdding((a) => ({ ...a, managers: id }));
              if (id) run('managers', 'add', { id, name: item?.name ?? t('directory.thePerson') });
            }}
          />
        }
      />
      {members.isPending ? (
        <LoadingState label={t('directory.loadingMembers')} />
      ) : (
        <Section
          title={t('directory.membersCount', { count: members.items.length })}
          empty={t('directory.noMembers')}
          removeLabel="directory.removeMember"
          people={members.items}
          onRemove={(p) => run('members', 'remove', p)}
          picker={
            <RemoteSelect<TPersonView>
              label={t('directory.addMember')}
              description={t('directory.addMemberHint')}
              placeholder={t('directory.people.search')}
              path={DIRECTORY_PATH.people}
              params={{ active: 'true' }}
              exclude={members.items.map((m) => m.id)}
              getLabel={(p) => p.name}
              value={adding.members}
              disabled={change.isPending}
              onChange={(id, item) => {
                setAdding((a) => ({ ...a, members: id }));
                if (id) run('members', 'add', { id, name: item?.name ?? t('directory.thePerson') });
              }}
            />
          }
        />
      )}
    </Stack>
  );
}

function Section({
  title,
  empty,
  removeLabel,
  people,
  onRemove,
  picker,
}: {
  title: string;
  empty: string;
  /** `Remove {name} from …`. */
  removeLabel: MessageKey;
  people: { id: string; name: string }[];
  onRemove: (p: { id: string; name: string }) => void;
  picker: React.ReactNode;
}) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Title order={3} size="h5">
        {title}
      </Title>
      {people.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <List listStyleType="none" spacing={4}>
          {people.map((p) => (
            <List.Item key={p.id}>
              <Group gap="xs" justify="space-between" wrap="nowrap">
                <Text size="sm">{p.name}</Text>
                <RowAction
                  tip={t('directory.remove')}
                  label={t(removeLabel, { name: p.name })}
                  icon={<IconUserMinus size={16} aria-hidden />}
                  color="red"
                  onClick={() => onRemove(p)}
                />
              </Group>
            </List.Item>
          ))}
        </List>
      )}
      {picker}
    </Stack>
  );
}
