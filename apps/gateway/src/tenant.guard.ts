import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiKeys } from './api-keys';
import { API_KEYS } from './config';

type TenantRequest = Request & { tenantId?: string };

/** Resolves the tenant from `x-api-key` (or `Authorization: Bearer <key>`); 401 otherwise. */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(@Inject(API_KEYS) private readonly keys: ApiKeys) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<TenantRequest>();
    const bearer = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const header = req.headers['x-api-key'];
    const tenant = this.keys.tenantFor((typeof header === 'string' ? header : undefined) ?? bearer);
    if (!tenant) throw new UnauthorizedException({ error: 'unauthorized', message: 'missing or unknown API key (send x-api-key)' });
    req.tenantId = tenant;
    return true;
  }
}

/** The tenant the guard resolved. */
export const Tenant = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const tenant = ctx.switchToHttp().getRequest<TenantRequest>().tenantId;
  if (!tenant) throw new UnauthorizedException();
  return tenant;
});
