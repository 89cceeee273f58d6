/**
 * The one role × permission matrix. The server checks it on every route; the web app reads it to
 * decide which menus to show. Object-level rules (own records, my teams) live in the services.
 */
/** `customer`: an outside renter (self-registered); may verify, book and pay, and sees nothing of the company. */
export const ROLES = ['admin', 'manager', 'employee', 'customer'] as const;
export type TRole = (typeof ROLES)[number];

export const PERMISSIONS = [
  'users:read',
  'users:manage',
  'audit:read',
  'directory:read',
  'directory:manage',
  /** Reporting lines (who manages whom) decide who may read, edit and approve whose time: admins only. */
  'directory:assign',
  /** Archiving clients, projects and activities that everyone books time on: admins only. */
  'catalog:archive',
  'time:track',
  'time:read_team',
  'time:manage_team',
  'time:approve',
  'time:lock',
  'time:settings',
  'reports:read',
  'tokens:manage',
  /** Deliverables, holidays and one's own assignments and time off. */
  'planning:read',
  /** Everyone's plan: reading all of it, utilisation, and every planning write. */
  'planning:manage',
  /** Search vehicles, book, pay and see one's own bookings. */
  'fleet:book',
  /** Fleet staff: vehicles, maintenance, every booking, check-out and return. */
  'fleet:manage',
] as const;
export type TPermission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<TRole, readonly TPermission[]> = {
  admin: PERMISSIONS,
  manager: [
    'users:read',
    'directory:read',
    'directory:manage',
    'time:track',
    'time:read_team',
    'time:manage_team',
    'time:approve',
    'reports:read',
    'tokens:manage',
    'planning:read',
    'planning:manage',
    'fleet:book',
    'fleet:manage',
  ],
  employee: ['directory:read', 'time:track', 'tokens:manage', 'planning:read', 'fleet:book'],
  customer: ['fleet:book'],
};

export function can(role: TRole, permission: TPermission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
