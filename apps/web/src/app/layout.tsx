import {
  Alert,
  Anchor,
  AppShell,
  Avatar,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconKeyboard, IconLogout, IconUser } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { lazy, Suspense } from 'react';
import { logout } from './auth';
import { FEATURES, type Feature } from './features';
import { type MessageKey, t } from './i18n';
import { initials } from './initials';
import { appInfoQuery } from './modules';
import { activeEntry, type NavItem, navFor, safeRedirect } from './nav';
import { openShortcutHelp, useShortcutKeys, useShortcutState, useShortcuts } from './shortcuts';
import { useAuth } from './useAuth';

const GROUP_LABELS: Record<NavItem['group'], MessageKey> = {
  me: 'shell.group.me',
  team: 'shell.group.team',
  admin: 'shell.group.admin',
};

const GO_TO: Array<{ to: string; keys: string; label: MessageKey }> = [
  { to: '/', keys: 'g h', label: 'keys.goHome' },
  { to: '/time', keys: 'g t', label: 'keys.goTime' },
  { to: '/timesheet', keys: 'g s', label: 'keys.goTimesheet' },
  { to: '/approvals', keys: 'g a', label: 'keys.goApprovals' },
  { to: '/reports', keys: 'g r', label: 'keys.goReports' },
  { to: '/profile', keys: 'g p', label: 'keys.goProfile' },
];

const ShortcutHelp = lazy(() => import('./ShortcutHelp'));

/** The document's key listener; the list behind `?` loads the first time it is asked for. */
function ShortcutKeys() {
  useShortcutKeys();
  return useShortcutState().helpOpen ? <ShortcutHelp /> : null;
}

/** `g` then a letter goes to a page of the menu (and to the profile, which everyone has). */
function NavShortcuts({ paths }: { paths: string[] }) {
  const navigate = useNavigate();
  useShortcuts(
    GO_TO.filter((g) => g.to === '/profile' || paths.includes(g.to)).map((g) => ({
      keys: g.keys,
      label: g.label,
      run: () => void navigate({ to: g.to }),
    })),
  );
  return null;
}

export function AppLayout() {
  const { status, user, ended } = useAuth();
  const [opened, { toggle, close }] = useDisclosure(false);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const href = useRouterState({ select: (s) => s.location.href });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const appInfo = useQuery(appInfoQuery);

  if (status !== 'signed-in' || !user) {
    return (
      <Navigate
        to="/login"
        search={{ redirect: ended === 'logout' ? undefined : safeRedirect(href) }}
        replace
      />
    );
  }

  const items = navFor(user.role, appInfo.data?.modules);
  const current = activeEntry(items, pathname);
  const features: readonly Feature[] = FEATURES;
  // As the menu: every feature while the switched-on modules are not known yet.
  const modules = appInfo.data?.modules;
  const shells = features.filter((f) => f.Shell && (!modules || modules.includes(f.module)));
  const groups = (['me', 'team', 'admin'] as const)
    .map((g) => ({ group: g, items: items.filter((i) => i.group === g) }))
    .filter((g) => g.items.length > 0);

  async function signOut() {
    await logout();
    queryClient.clear();
    await navigate({ to: '/login', search: {} });
  }

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#main" className="skip-link">
        {t('shell.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('shell.closeMenu') : t('shell.openMenu')}
            />
            <Text
              component={Link}
              to="/"
              fw={700}
              size="lg"
              c="light-dark(var(--mantine-color-blue-8), var(--mantine-color-blue-4))"
              td="none"
            >
              ClockPilot
            </Text>
          </Group>
          <Menu position="bottom-end" width={220}>
            <Menu.Target>
              <UnstyledButton
                aria-label={t('shell.accountMenu', { name: user.displayName })}
                data-testid="user-menu"
              >
                <Group gap={8} wrap="nowrap">
                  <Avatar radius="xl" size={32} color="blue" aria-hidden>
                    {initials(user.displayName)}
                  </Avatar>
                  <Text size="sm" fw={500} visibleFrom="xs" lineClamp={1} maw={220}>
                    {user.displayName}
                  </Text>
                  <IconChevronDown size={14} aria-hidden />
                </Group>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>
                {user.username} · {user.role}
              </Menu.Label>
              <Menu.Item component={Link} to="/profile" leftSection={<IconUser size={16} aria-hidden />}>
                {t('shell.profile')}
              </Menu.Item>
              <Menu.Item leftSection={<IconKeyboard size={16} aria-hidden />} onClick={openShortcutHelp}>
                {t('shell.shortcuts')}
              </Menu.Item>
              <Menu.Divider />
              <Menu.Item color="red" leftSection={<IconLogout size={16} aria-hidden />} onClick={signOut}>
                {t('shell.logout')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('shell.mainNav')} component="nav">
        <ScrollArea>
          {groups.map((g) => (
            <div key={g.group}>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>
                {t(GROUP_LABELS[g.group])}
              </Text>
              {g.items.map((item) => {
                const Icon = item.icon;
                const active = item.to === current;
                return (
                  <NavLink
                    key={item.to}
                    component={Link}
                    to={item.to}
                    label={t(item.label)}
                    leftSection={<Icon size={18} aria-hidden />}
                    active={active}
                    aria-current={active ? 'page' : undefined}
                    // The router's own marking would also mark `/autoscaler` on `/autoscaler/evaluate`:
                    // only `current` is the page (its exact path alone is left to the router).
                    activeOptions={{ exact: true }}
                    onClick={close}
                  />
                );
              })}
            </div>
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main">
        {user.totpEnrollmentRequired && pathname !== '/profile' && (
          <Alert color="orange" mb="md" role="alert" title={t('shell.totpRequired')}>
            {t('shell.totpRequiredText')}{' '}
            <Anchor component={Link} to="/profile">
              {t('shell.totpSetUp')}
            </Anchor>
          </Alert>
        )}
        <Outlet />
      </AppShell.Main>
      <NavShortcuts paths={items.map((i) => i.to)} />
      <Suspense fallback={null}>
        <ShortcutKeys />
        {shells.map((f) => {
          const Shell = f.Shell!;
          return <Shell key={f.module} />;
        })}
      </Suspense>
    </AppShell>
  );
}
