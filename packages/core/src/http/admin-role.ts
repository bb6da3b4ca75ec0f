import { DreamdeckError } from '../errors.js';
import type { AuthUser } from './token-auth.js';

/** True when `user` has the `admin` role. Admin rights never open another user's threads. */
export function isAdmin(user: AuthUser): boolean {
  return user.roles?.includes('admin') === true;
}

/** Throws `FORBIDDEN` (403) unless `user` has the `admin` role. */
export function requireAdmin(user: AuthUser): void {
  if (!isAdmin(user)) throw new DreamdeckError('FORBIDDEN', 'Only an admin can do that.');
}
