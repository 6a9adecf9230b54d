import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { ApiKeyTable, Caller } from '@baton/api-keys';
import { AllowRoles, checkAccess } from './access';
import { API_KEYS } from './config';

type CallerRequest = Request & { caller?: Caller };

/**
 * Resolves the caller from `x-api-key` (or `Authorization: Bearer <key>`), 401 without a
 * known key; then checks the route's roles (AllowRoles), 403 naming the role it needs.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(API_KEYS) private readonly keys: ApiKeyTable,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<CallerRequest>();
    const bearer = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const header = req.headers['x-api-key'];
    const caller = this.keys.identify((typeof header === 'string' ? header : undefined) ?? bearer);
    if (!caller) throw new UnauthorizedException({ error: 'unauthorized', message: 'missing or unknown API key (send x-api-key)' });
    const route = `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}`;
    const access = checkAccess(caller, this.reflector.get(AllowRoles, context.getHandler()), route);
    if (!access.ok) throw new ForbiddenException(access.problem);
    req.caller = caller;
    return true;
  }
}

function callerOf(ctx: ExecutionContext): Caller {
  const caller = ctx.switchToHttp().getRequest<CallerRequest>().caller;
  if (!caller) throw new UnauthorizedException();
  return caller;
}

/** The tenant of the caller's key. */
export const Tenant = createParamDecorator((_: unknown, ctx: ExecutionContext): string => callerOf(ctx).tenant);

/** The caller the guard resolved: key id, tenant, roles. */
export const ApiCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => callerOf(ctx));
