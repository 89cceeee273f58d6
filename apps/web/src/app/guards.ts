import { can, type TPermission } from '@clockpilot/contracts/permissions';
import { auth } from './auth';

/** Thrown by a route the signed-in role may not open; rendered as the forbidden page, not a crash. */
export class ForbiddenError extends Error {
  constructor(readonly permission: TPermission) {
    super(`Needs the ${permission} permission`);
    this.name = 'ForbiddenError';
  }
}

/** A route `beforeLoad` that lets only roles holding `permission` in. */
export function requirePermission(permission: TPermission) {
  return () => {
    const user = auth.user;
    if (user && !can(user.role, permission)) throw new ForbiddenError(permission);
  };
}
