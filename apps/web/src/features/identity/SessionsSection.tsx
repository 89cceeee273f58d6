import type { TSession } from '@clockpilot/contracts/identity';
import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLogout } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { errorMessage } from '../../app/api';
import { logout } from '../../app/auth';
import { ConfirmDialog } from '../../app/confirm';
import { DataTable, rowActionColumn } from '../../app/data-table';
import { wholeList } from '../../app/list';
import { useRevokeAllSessions, useRevokeSession, useSessions } from './api';

/** `Firefox on Linux` from a user-agent string; good enough to tell one's devices apart. */
export function describeAgent(ua: string | null): string {
  if (!ua) return 'Unknown device';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Chrome\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : /curl|node|python|Go-http/i.test(ua)
              ? 'Script'
              : 'Browser';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  return os ? `${browser} on ${os}` : browser;
}

const when = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The own sessions (devices signed in), with revoke one and log out everywhere. */
export function SessionsSection() {
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const revokeAll = useRevokeAllSessions();
  const [confirmAll, setConfirmAll] = useState(false);
  const navigate = useNavigate();
  const qc = useQueryClient();

  function revokeOne(s: TSession) {
    revoke.mutate(s.id, {
      onSuccess: () =>
        notifications.show({ color: 'green', message: `${describeAgent(s.userAgent)} signed out` }),
      onError: (e) => notifications.show({ color: 'red', title: 'Not signed out', message: errorMessage(e) }),
    });
  }

  function everywhere() {
    revokeAll.mutate(undefined, {
      onSuccess: async ({ revoked }) => {
        notifications.show({
          color: 'green',
          title: 'Logged out everywhere',
          message: `${revoked} session${revoked === 1 ? '' : 's'} ended, this one included.`,
        });
        await logout();
        qc.clear();
        await navigate({ to: '/login', search: {} });
      },
      onError: (e) => notifications.show({ color: 'red', title: 'Not logged out', message: errorMessage(e) }),
    });
  }

  return (
    <Stack gap="sm">
      <DataTable<TSession>
        caption="Your sessions"
        list={wholeList(sessions)}
        rowKey={(s) => s.id}
        minWidth={560}
        empty={{ title: 'No sessions' }}
        columns={[
          {
            key: 'device',
            header: 'Device',
            render: (s) => (
              <Group gap={6} wrap="nowrap">
                <Text size="sm">{describeAgent(s.userAgent)}</Text>
                {s.current && (
                  <Badge size="xs" color="green" variant="light">
                    this device
                  </Badge>
                )}
              </Group>
            ),
          },
          { key: 'ip', header: 'IP address', render: (s) => s.ip ?? '—' },
          { key: 'created', header: 'Signed in', render: (s) => when(s.createdAt) },
          { key: 'last', header: 'Last active', render: (s) => when(s.lastUsedAt) },
          rowActionColumn<TSession>({
            label: 'Sign out',
            color: 'red',
            describe: (s) => `Sign out ${describeAgent(s.userAgent)}, signed in ${when(s.createdAt)}`,
            onClick: revokeOne,
            hidden: (s) => s.current,
            loading: (s) => revoke.isPending && revoke.variables === s.id,
          }),
        ]}
      />
      <Group>
        <Button
          color="red"
          variant="light"
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => setConfirmAll(true)}
        >
          Log out everywhere
        </Button>
      </Group>
      <ConfirmDialog
        opened={confirmAll}
        title="Log out everywhere?"
        confirmLabel="Log out everywhere"
        loading={revokeAll.isPending}
        onConfirm={everywhere}
        onClose={() => setConfirmAll(false)}
      >
        Every session ends, this one included. You will need to sign in again on each device.
      </ConfirmDialog>
    </Stack>
  );
}
