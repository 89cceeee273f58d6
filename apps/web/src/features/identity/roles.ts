import { ROLES, type TRole } from '@clockpilot/contracts/permissions';
import { type MessageKey, t } from '../../app/i18n';

const ROLE_KEY = {
  admin: 'role.admin',
  manager: 'role.manager',
  employee: 'role.employee',
  customer: 'role.customer',
} satisfies Record<TRole, MessageKey>;

/** A role's name in the current language. */
export const roleLabel = (role: TRole) => t(ROLE_KEY[role]);

/** The roles as options of a select, in the order of the contract (built per render: the language may change). */
export const roleOptions = () => ROLES.map((r) => ({ value: r, label: roleLabel(r) }));
