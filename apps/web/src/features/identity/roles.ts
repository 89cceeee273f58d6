import { ROLES, type TRole } from '@clockpilot/contracts/permissions';

export const ROLE_LABEL: Record<TRole, string> = {
  admin: 'Administrator',
  manager: 'Manager',
  employee: 'Employee',
  customer: 'Customer',
};

/** The roles as options of a select, in the order of the contract. */
export const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABEL[r] }));
