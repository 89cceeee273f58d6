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

/** Whether a menu entry is the current page: its path or one below it, never a longer name (`/time` is not `/timesheet`). */
export function isActivePath(to: string, pathname: string): boolean {
  if (to === '/') return pathname === '/';
  return pathname === to || pathname.startsWith(`${to}/`);
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
