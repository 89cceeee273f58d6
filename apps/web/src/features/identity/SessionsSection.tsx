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
import { dateTimeText } from '../../app/format';
import { t, tn } from '../../app/i18n';
import { wholeList } from '../../app/list';
import { useRevokeAllSessions, useRevokeSession, useSessions } from './api';

/** `Firefox on Linux` from a user-agent string; good enough to tell one's devices apart. */
export function describeAgent(ua: string | null): string {
  if (!ua) return t('sessions.unknownDevice');
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
              : t('sessions.browser');
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
  return os ? t('sessions.browserOn', { browser, os }) : browser;
}

const when = (iso: string) => dateTimeText(iso);

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
        notifications.show({
          color: 'green',
          message: t('sessions.signedOut', { device: describeAgent(s.userAgent) }),
        }),
      onError: (e) =>
        notifications.show({ color: 'red', title: t('sessions.notSignedOut'), message: errorMessage(e) }),
    });
  }

  function everywhere() {
    revokeAll.mutate(undefined, {
      onSuccess: async ({ revoked }) => {
        notifications.show({
          color: 'green',
          title: t('sessions.everywhereDone'),
          message: tn('sessions.ended', revoked),
        });
        await logout();
        qc.clear();
        await navigate({ to: '/login', search: {} });
      },
      onError: (e) =>
        notifications.show({ color: 'red', title: t('sessions.notLoggedOut'), message: errorMessage(e) }),
    });
  }

  return (
    <Stack gap="sm">
      <DataTable<TSession>
        caption={t('sessions.caption')}
        list={wholeList(sessions)}
        rowKey={(s) => s.id}
        minWidth={560}
        empty={{ title: t('sessions.none') }}
        columns={[
          {
            key: 'device',
            header: t('sessions.device'),
            render: (s) => (
              <Group gap={6} wrap="nowrap">
                <Text size="sm">{describeAgent(s.userAgent)}</Text>
                {s.current && (
                  <Badge size="xs" color="green" variant="light">
                    {t('sessions.thisDevice')}
                  </Badge>
                )}
              </Group>
            ),
          },
          { key: 'ip', header: t('sessions.ip'), render: (s) => s.ip ?? '—' },
          { key: 'created', header: t('sessions.created'), render: (s) => when(s.createdAt) },
          { key: 'last', header: t('sessions.lastActive'), render: (s) => when(s.lastUsedAt) },
          rowActionColumn<TSession>({
            label: t('sessions.signOut'),
            color: 'red',
            describe: (s) =>
              t('sessions.signOutOne', { device: describeAgent(s.userAgent), when: when(s.createdAt) }),
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
          {t('sessions.everywhere')}
        </Button>
      </Group>
      <ConfirmDialog
        opened={confirmAll}
        title={t('sessions.everywhereAsk')}
        confirmLabel={t('sessions.everywhere')}
        loading={revokeAll.isPending}
        onConfirm={everywhere}
        onClose={() => setConfirmAll(false)}
      >
        {t('sessions.everywhereText')}
      </ConfirmDialog>
    </Stack>
  );
}
