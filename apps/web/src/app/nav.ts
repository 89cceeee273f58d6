import { can, type TPermission, type TRole } from '@clockpilot/contracts/permissions';

/** One entry of the main menu; shown only to roles that hold its permission. */
export type NavItem = {
  to: string;
  label: string;
  permission: TPermission | null;
  icon:
    | 'home'
    | 'time'
    | 'timesheet'
    | 'approvals'
    | 'people'
    | 'reports'
    | 'users'
    | 'audit'
    | 'presence'
    | 'settings';
  group: 'me' | 'team' | 'admin';
};

export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Home', permission: 'time:track', icon: 'home', group: 'me' },
  { to: '/time', label: 'My time', permission: 'time:track', icon: 'time', group: 'me' },
  { to: '/timesheet', label: 'Timesheet', permission: 'time:track', icon: 'timesheet', group: 'me' },
  { to: '/approvals', label: 'Approvals', permission: 'time:approve', icon: 'approvals', group: 'team' },
  { to: '/presence', label: 'Presence', permission: 'time:read_team', icon: 'presence', group: 'team' },
  { to: '/directory', label: 'Directory', permission: 'directory:read', icon: 'people', group: 'team' },
  { to: '/reports', label: 'Reports', permission: 'reports:read', icon: 'reports', group: 'team' },
  { to: '/admin/users', label: 'Users', permission: 'users:manage', icon: 'users', group: 'admin' },
  { to: '/admin/audit', label: 'Audit log', permission: 'audit:read', icon: 'audit', group: 'admin' },
  {
    to: '/admin/time',
    label: 'Time rules and locks',
    permission: 'time:lock',
    icon: 'settings',
    group: 'admin',
  },
];

export function navFor(role: TRole): NavItem[] {
  return NAV_ITEMS.filter((i) => i.permission === null || can(role, i.permission));
}

/** Where a role lands after signing in when no page was asked for. */
export function homeFor(role: TRole): string {
  return navFor(role)[0]?.to ?? '/profile';
}

/** Accepts only same-origin paths as a post-login destination (no open redirects). */
export function safeRedirect(target: unknown): string | undefined {
  if (typeof target !== 'string') return undefined;
  if (!target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return undefined;
  if (target.startsWith('/login')) return undefined;
  return target;
}
