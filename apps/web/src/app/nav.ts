import { can, type TPermission, type TRole } from '@clockpilot/contracts/permissions';
import type { Icon } from '@tabler/icons-react';
import { FEATURES } from './features';
import type { MessageKey } from './i18n';

/** One entry of the main menu; shown only to roles that hold its permission. */
export type NavItem = {
  to: string;
  label: MessageKey;
  permission: TPermission | null;
  icon: Icon;
  group: 'me' | 'team' | 'admin';
};

/**
 * The menu for a role: every feature's entries its permissions allow, limited to the switched-on
 * modules when they are known.
 */
export function navFor(role: TRole, modules?: readonly string[]): NavItem[] {
  return FEATURES.filter((f) => !modules || modules.includes(f.module))
    .flatMap((f): readonly NavItem[] => f.nav)
    .filter((i) => i.permission === null || can(role, i.permission));
}

/**
 * The menu entry of the current page: the longest entry path that is the page's path or one above it,
 * never a longer name (`/time` is not `/timesheet`). Longest, so `/autoscaler/evaluate` lights up its
 * own entry and not `/autoscaler` as well.
 */
export function activeEntry(items: readonly Pick<NavItem, 'to'>[], pathname: string): string | undefined {
  const matches = (to: string) =>
    to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`);
  return items
    .map((i) => i.to)
    .filter(matches)
    .sort((a, b) => b.length - a.length)[0];
}

/** Where a role lands after signing in when no page was asked for. */
export function homeFor(role: TRole, modules?: readonly string[]): string {
  return navFor(role, modules)[0]?.to ?? '/profile';
}

/** Accepts only same-origin paths as a post-login destination (no open redirects). */
export function safeRedirect(target: unknown): string | undefined {
  if (typeof target !== 'string') return undefined;
  if (!target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return undefined;
  if (target.startsWith('/login')) return undefined;
  return target;
}
