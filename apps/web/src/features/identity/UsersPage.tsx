import type { TUser } from '@clockpilot/contracts/identity';
import { can, type TRole } from '@clockpilot/contracts/permissions';
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconDots,
  IconEdit,
  IconKey,
  IconPlus,
  IconSearch,
  IconUserCheck,
  IconUserOff,
} from '@tabler/icons-react';
import { createLazyRoute } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { ConfirmDialog } from '../../app/confirm';
import { type Column, DataTable } from '../../app/data-table';
import { instantDate } from '../../app/format';
import { useListControls, usePagedList } from '../../app/list';
import { OneTimeSecret } from '../../app/secret';
import { PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { ADMIN, adminKeys, generatePassword, useResetPassword, useUpdateUser } from './admin-api';
import { CreateUserForm } from './CreateUserForm';
import { EditUserForm } from './EditUserForm';
import { ROLE_LABEL, ROLE_OPTIONS } from './roles';

export const Route = createLazyRoute('/_app/_identity/admin/users')({ component: UsersPage });

type Pending =
  | { kind: 'deactivate'; user: TUser }
  | { kind: 'reset'; user: TUser }
  | { kind: 'role'; user: TUser; role: TRole };

export function UsersPage() {
  const me = useMe();
  const canManage = can(me.role, 'users:manage');
  const controls = useListControls<'username' | 'createdAt' | 'role'>('username');
  const [role, setRole] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>('true');
  const list = usePagedList<TUser>({
    queryKey: adminKeys.users,
    path: ADMIN.users,
    params: { q: controls.search, role, active: status, sort: controls.sort, order: controls.dir },
  });
  const update = useUpdateUser();
  const reset = useResetPassword();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<TUser | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [shown, setShown] = useState<{ title: string; label: string; secret: string } | null>(null);

  function setActive(user: TUser, active: boolean) {
    update.mutate(
      { id: user.id, body: { active } },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            message: active
              ? `${user.username} can sign in again`
              : `${user.username} is deactivated and signed out`,
          });
          setPending(null);
        },
        onError: (e) => notifications.show({ color: 'red', title: 'Not changed', message: errorMessage(e) }),
      },
    );
  }

  function changeRole(user: TUser, next: TRole) {
    update.mutate(
      { id: user.id, body: { role: next } },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            message: `${user.username} is now ${ROLE_LABEL[next].toLowerCase()}`,
          });
          setPending(null);
        },
        onError: (e) =>
          notifications.show({ color: 'red', title: 'Role not changed', message: errorMessage(e) }),
      },
    );
  }

  function resetPassword(user: TUser) {
    const password = generatePassword();
    reset.mutate(
      { id: user.id, password },
      {
        onSuccess: () => {
          setPending(null);
          setShown({ title: `New password for ${user.username}`, label: 'New password', secret: password });
        },
        onError: (e) =>
          notifications.show({ color: 'red', title: 'Password not reset', message: errorMessage(e) }),
      },
    );
  }

  const columns: Column<TUser, 'username' | 'createdAt' | 'role'>[] = [
    {
      key: 'username',
      header: 'User',
      sortKey: 'username',
      render: (u) => (
        <>
          <Text size="sm" fw={500}>
            {u.displayName}
          </Text>
          <Text size="xs" c="dimmed">
            {u.username} · {u.email}
          </Text>
        </>
      ),
    },
    {
      key: 'role',
      header: 'Role',
      sortKey: 'role',
      render: (u) =>
        canManage && u.id !== me.id ? (
          <Select
            aria-label={`Role of ${u.username}`}
            data={ROLE_OPTIONS}
            value={u.role}
            allowDeselect={false}
            size="xs"
            w={150}
            comboboxProps={{ withinPortal: true }}
            onChange={(r) => r && r !== u.role && setPending({ kind: 'role', user: u, role: r as TRole })}
          />
        ) : (
          ROLE_LABEL[u.role]
        ),
    },
    {
      key: 'status',
      header: 'Status',
      render: (u) => (
        <Badge color={u.active ? 'green' : 'gray'} variant="light">
          {u.active ? 'Active' : 'Deactivated'}
        </Badge>
      ),
    },
    { key: 'tz', header: 'Time zone', render: (u) => u.timeZone },
    {
      key: 'createdAt',
      header: 'Created',
      sortKey: 'createdAt',
      render: (u) => instantDate(u.createdAt),
    },
  ];
  if (canManage) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      hiddenHeader: true,
      align: 'right',
      width: 60,
      render: (u) =>
        u.id === me.id ? null : (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Tooltip label="More actions">
                <ActionIcon variant="subtle" aria-label={`Actions for ${u.username}`}>
                  <IconDots size={18} aria-hidden />
                </ActionIcon>
              </Tooltip>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconEdit size={16} aria-hidden />} onClick={() => setEditing(u)}>
                Edit details
              </Menu.Item>
              <Menu.Item
                leftSection={<IconKey size={16} aria-hidden />}
                onClick={() => setPending({ kind: 'reset', user: u })}
              >
                Reset password
              </Menu.Item>
              {u.active ? (
                <Menu.Item
                  color="red"
                  leftSection={<IconUserOff size={16} aria-hidden />}
                  onClick={() => setPending({ kind: 'deactivate', user: u })}
                >
                  Deactivate
                </Menu.Item>
              ) : (
                <Menu.Item
                  leftSection={<IconUserCheck size={16} aria-hidden />}
                  onClick={() => setActive(u, true)}
                >
                  Activate
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        ),
    });
  }

  return (
    <>
      <PageTitle
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setCreating(true)}>
              New user
            </Button>
          )
        }
      >
        Users
      </PageTitle>
      <Group gap="sm" mb="sm" wrap="wrap" align="flex-end">
        <TextInput
          label="Search"
          placeholder="Name, username or email"
          leftSection={<IconSearch size={16} aria-hidden />}
          type="search"
          value={controls.q}
          onChange={(e) => controls.setQ(e.currentTarget.value)}
          w={{ base: '100%', xs: 260 }}
        />
        <Select
          label="Role"
          placeholder="Any role"
          data={ROLE_OPTIONS}
          value={role}
          onChange={setRole}
          clearable
          w={170}
        />
        <Select
          label="Status"
          data={[
            { value: 'true', label: 'Active' },
            { value: 'false', label: 'Deactivated' },
          ]}
          placeholder="Any status"
          value={status}
          onChange={setStatus}
          clearable
          w={160}
        />
      </Group>
      <DataTable<TUser, 'username' | 'createdAt' | 'role'>
        caption="Users"
        columns={columns}
        list={list}
        controls={controls}
        rowKey={(u) => u.id}
        minWidth={760}
        testId="users"
        empty={{ title: 'No users match', hint: 'Change the search or the filters.' }}
      />
      <Modal opened={creating} onClose={() => setCreating(false)} title="New user" size="lg" centered>
        {creating && (
          <CreateUserForm
            onCancel={() => setCreating(false)}
            onDone={(user, password) => {
              setCreating(false);
              notifications.show({ color: 'green', message: `${user.username} created` });
              if (password)
                setShown({
                  title: `Password for ${user.username}`,
                  label: 'Initial password',
                  secret: password,
                });
            }}
          />
        )}
      </Modal>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title="Edit user" centered>
        {editing && (
          <EditUserForm
            user={editing}
            onCancel={() => setEditing(null)}
            onDone={(user) => {
              setEditing(null);
              notifications.show({ color: 'green', message: `${user.username} saved` });
            }}
          />
        )}
      </Modal>
      <Modal opened={shown !== null} onClose={() => setShown(null)} title={shown?.title} centered>
        {shown && (
          <Stack gap="sm">
            <OneTimeSecret label={shown.label} value={shown.secret} />
            <Text size="sm" c="dimmed">
              Give it to the person through a safe channel and ask them to change it after signing in.
            </Text>
            <Group justify="flex-end">
              <Button onClick={() => setShown(null)}>Done</Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <ConfirmDialog
        opened={pending?.kind === 'deactivate'}
        title="Deactivate this user?"
        confirmLabel="Deactivate"
        loading={update.isPending}
        onConfirm={() => pending && setActive(pending.user, false)}
        onClose={() => setPending(null)}
      >
        {`${pending?.user.username ?? ''} will be signed out everywhere and cannot sign in until activated again. Their time records stay.`}
      </ConfirmDialog>
      <ConfirmDialog
        opened={pending?.kind === 'reset'}
        title="Reset the password?"
        confirmLabel="Reset password"
        color="orange"
        loading={reset.isPending}
        onConfirm={() => pending && resetPassword(pending.user)}
        onClose={() => setPending(null)}
      >
        {`A new random password replaces ${pending?.user.username ?? ''}'s current one and is shown to you once. Their sessions end.`}
      </ConfirmDialog>
      <ConfirmDialog
        opened={pending?.kind === 'role'}
        title="Change the role?"
        confirmLabel="Change role"
        color="blue"
        loading={update.isPending}
        onConfirm={() => pending?.kind === 'role' && changeRole(pending.user, pending.role)}
        onClose={() => setPending(null)}
      >
        {pending?.kind === 'role'
          ? `${pending.user.username} becomes ${ROLE_LABEL[pending.role].toLowerCase()} and gets that role's access at their next request.`
          : ''}
      </ConfirmDialog>
    </>
  );
}
