import { accessDenied } from '../errors';
import type { Caller } from './caller';

/** FSPermissionChecker.checkSuperuserPrivilege: administrative calls are the superuser's. */
export function requireSuperuser(caller: Caller): void {
  if (!caller.isSuperuser) throw accessDenied(`Access denied for user ${caller.user}. Superuser privilege is required`);
}
