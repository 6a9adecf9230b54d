import { Reflector } from '@nestjs/core';
import type { Caller, Role } from '@baton/api-keys';

/**
 * The roles that may call a route handler besides `admin`, who may call every route. A
 * handler without it is for `admin` only, so a route added without a decision about who
 * may call it is closed rather than open. The table in docs/api-keys.md lists them all.
 */
export const AllowRoles = Reflector.createDecorator<readonly Role[]>();

/** The 403 body for a key without the role a route needs. */
export interface ForbiddenProblem {
  error: 'forbidden';
  message: string;
  /** Any one of these lets a key call the route. */
  requiredRoles: Role[];
  /** What the key has. */
  keyRoles: Role[];
}

/** Whether `caller` may call the route `route` (e.g. `POST /v1/tasks`), which allows `allowed` (and admin). */
export function checkAccess(caller: Pick<Caller, 'roles'>, allowed: readonly Role[] | undefined, route: string): { ok: true } | { ok: false; problem: ForbiddenProblem } {
  const named = (allowed ?? []).filter((r) => r !== 'admin');
  const requiredRoles: Role[] = [...named, 'admin'];
  if (caller.roles.some((r) => requiredRoles.includes(r))) return { ok: true };
  // admin goes unnamed when other roles will do: the message names the role someone would ask for.
  const need = named.length === 0 ? 'admin' : named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}`;
  return {
    ok: false,
    problem: {
      error: 'forbidden',
      message: `${route} needs the ${need} role; this key has ${caller.roles.join(', ') || 'no role'}`,
      requiredRoles,
      keyRoles: [...caller.roles],
    },
  };
}
