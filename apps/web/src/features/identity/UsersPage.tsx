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
import { t } from '../../app/i18n';
import { useListControls, usePagedList } from '../../app/list';
import { OneTimeSecret } from '../../app/secret';
import { PageTitle } from '../../app/ui';
import { useMe } from '../../app/useAuth';
import { ADMIN, adminKeys, generatePassword, useResetPassword, useUpdateUser } from './admin-api';
import { CreateUserForm } from './CreateUserForm';
import { EditUserForm } from './EditUserForm';
import { roleLabel, roleOptions } from './roles';

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
            message: t(active ? 'users.activated' : 'users.deactivated', { name: user.username }),
          });
          setPending(null);
        },
        onError: (e) =>
          notifications.show({ color: 'red', title: t('users.notChanged'), message: errorMessage(e) }),
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
            message: t('users.roleChanged', { name: user.username, role: roleLabel(next) }),
          });
          setPending(null);
        },
        onError: (e) =>
          notifications.show({ color: 'red', title: t('users.roleNotChanged'), message: errorMessage(e) }),
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
          setShown({
            title: t('users.newPasswordFor', { name: user.username }),
            label: t('password.new'),
            secret: password,
          });
        },
        onError: (e) =>
          notifications.show({ color: 'red', title: t('users.passwordNotReset'), message: errorMessage(e) }),
      },
    );
  }

  const columns: Column<TUser, 'username' | 'createdAt' | 'role'>[] = [
    {
      key: 'username',
      header: t('users.user'),
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
      header: t('profile.role'),
      sortKey: 'role',
      render: (u) =>
        canManage && u.id !== me.id ? (
          <Select
            aria-label={t('users.roleOf', { name: u.username })}
            data={roleOptions()}
            value={u.role}
            allowDeselect={false}
            size="xs"
            w={150}
            comboboxProps={{ withinPortal: true }}
            onChange={(r) => r && r !== u.role && setPending({ kind: 'role', user: u, role: r as TRole })}
          />
        ) : (
          roleLabel(u.role)
        ),
    },
    {
      key: 'status',
      header: t('users.status'),
      render: (u) => (
        <Badge color={u.active ? 'green' : 'gray'} variant="light">
          {u.active ? t('users.active') : t('users.inactive')}
        </Badge>
      ),
    },
    { key: 'tz', header: t('profile.timeZone'), render: (u) => u.timeZone },
    {
      key: 'createdAt',
      header: t('users.created'),
      sortKey: 'createdAt',
      render: (u) => instantDate(u.createdAt),
    },
  ];
  if (canManage) {
    columns.push({
      key: 'actions',
      header: t('ui.actions'),
      hiddenHeader: true,
      align: 'right',
      width: 60,
      render: (u) =>
        u.id === me.id ? null : (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Tooltip label={t('users.moreActions')}>
                <ActionIcon variant="subtle" aria-label={t('users.actionsFor', { name: u.username })}>
                  <IconDots size={18} aria-hidden />
                </ActionIcon>
              </Tooltip>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconEdit size={16} aria-hidden />} onClick={() => setEditing(u)}>
                {t('users.edit')}
              </Menu.Item>
              <Menu.Item
                leftSection={<IconKey size={16} aria-hidden />}
                onClick={() => setPending({ kind: 'reset', user: u })}
              >
                {t('users.resetPassword')}
              </Menu.Item>
              {u.active ? (
                <Menu.Item
                  color="red"
                  leftSection={<IconUserOff size={16} aria-hidden />}
                  onClick={() => setPending({ kind: 'deactivate', user: u })}
                >
                  {t('users.deactivate')}
                </Menu.Item>
              ) : (
                <Menu.Item
                  leftSection={<IconUserCheck size={16} aria-hidden />}
                  onClick={() => setActive(u, true)}
                >
                  {t('users.activate')}
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
              {t('users.new')}
            </Button>
          )
        }
      >
        {t('nav.users')}
      </PageTitle>
      <Group gap="sm" mb="sm" wrap="wrap" align="flex-end">
        <TextInput
          label={t('users.search')}
          placeholder={t('users.searchHint')}
          leftSection={<IconSearch size={16} aria-hidden />}
          type="search"
          value={controls.q}
          onChange={(e) => controls.setQ(e.currentTarget.value)}
          w={{ base: '100%', xs: 260 }}
        />
        <Select
          label={t('profile.role')}
          placeholder={t('users.anyRole')}
          data={roleOptions()}
          value={role}
          onChange={setRole}
          clearable
          w={170}
        />
        <Select
          label={t('users.status')}
          data={[
            { value: 'true', label: t('users.active') },
            { value: 'false', label: t('users.inactive') },
          ]}
          placeholder={t('users.anyStatus')}
          value={status}
          onChange={setStatus}
          clearable
          w={160}
        />
      </Group>
      <DataTable<TUser, 'username' | 'createdAt' | 'role'>
        caption={t('nav.users')}
        columns={columns}
        list={list}
        controls={controls}
        rowKey={(u) => u.id}
        minWidth={760}
        testId="users"
        empty={{ title: t('users.none'), hint: t('users.noneHint') }}
      />
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('users.new')} size="lg" centered>
        {creating && (
          <CreateUserForm
            onCancel={() => setCreating(false)}
            onDone={(user, password) => {
              setCreating(false);
              notifications.show({ color: 'green', message: t('users.createdOne', { name: user.username }) });
              if (password)
                setShown({
                  title: t('users.passwordFor', { name: user.username }),
                  label: t('users.initialPassword'),
                  secret: password,
                });
            }}
          />
        )}
      </Modal>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={t('users.editTitle')} centered>
        {editing && (
          <EditUserForm
            user={editing}
            onCancel={() => setEditing(null)}
            onDone={(user) => {
              setEditing(null);
              notifications.show({ color: 'green', message: t('users.saved', { name: user.username }) });
            }}
          />
        )}
      </Modal>
      <Modal opened={shown !== null} onClose={() => setShown(null)} title={shown?.title} centered>
        {shown && (
          <Stack gap="sm">
            <OneTimeSecret label={shown.label} value={shown.secret} />
            <Text size="sm" c="dimmed">
              {t('users.handOver')}
            </Text>
            <Group justify="flex-end">
              <Button onClick={() => setShown(null)}>{t('users.done')}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <ConfirmDialog
        opened={pending?.kind === 'deactivate'}
        title={t('users.deactivateAsk')}
        confirmLabel={t('users.deactivate')}
        loading={update.isPending}
        onConfirm={() => pending && setActive(pending.user, false)}
        onClose={() => setPending(null)}
      >
        {t('users.deactivateText', { name: pending?.user.username ?? '' })}
      </ConfirmDialog>
      <ConfirmDialog
        opened={pending?.kind === 'reset'}
        title={t('users.resetAsk')}
        confirmLabel={t('users.resetPassword')}
        color="orange"
        loading={reset.isPending}
        onConfirm={() => pending && resetPassword(pending.user)}
        onClose={() => setPending(null)}
      >
        {t('users.resetText', { name: pending?.user.username ?? '' })}
      </ConfirmDialog>
      <ConfirmDialog
        opened={pending?.kind === 'role'}
        title={t('users.roleAsk')}
        confirmLabel={t('users.changeRole')}
        color="blue"
        loading={update.isPending}
        onConfirm={() => pending?.kind === 'role' && changeRole(pending.user, pending.role)}
        onClose={() => setPending(null)}
      >
        {pending?.kind === 'role'
          ? t('users.roleText', { name: pending.user.username, role: roleLabel(pending.role) })
          : ''}
      </ConfirmDialog>
    </>
  );
}
