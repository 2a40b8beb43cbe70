import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CommonError } from '../../../infrastructure/errors/domain-error.js';
import {
  IS_PUBLIC,
  REQUIRED_ROLES,
  type RequestWithPrincipal,
} from '../../../infrastructure/auth/auth.decorators.js';
import { AuthService } from '../auth.service.js';
import type { Role } from '../../../infrastructure/auth/roles.js';

export const SESSION_COOKIE = 'bs_session';

/**
 * The one place authentication and role checks happen. Every route needs a signed-in user
 * unless marked @Public(); @Roles() narrows further. A bad or expired bearer token is a 401 on
 * protected routes and anonymous on public ones: an app holding an old token can still browse
 * the catalog and verify certificates.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false;
    const roles = this.reflector.getAllAndOverride<Role[]>(REQUIRED_ROLES, targets) ?? [];

    request.principal = (await authenticate(request, this.auth)) ?? undefined;
    if (!request.principal) {
      if (isPublic) return true;
      throw request.headers.authorization !== undefined
        ? CommonError.unauthenticated('The access token is invalid or expired.')
        : CommonError.unauthenticated();
    }
    if (roles.length > 0 && !request.principal.roles.some((r) => roles.includes(r.role))) {
      throw CommonError.forbidden(`This needs the ${roles.join(' or ')} role.`);
    }
    return true;
  }
}

/**
 * Bearer first (API clients), then the portal cookie; null when the caller is not (validly)
 * signed in. A request that sends a bearer token is judged by it alone. Shared with the queue
 * dashboard hook.
 */
export async function authenticate(request: RequestWithPrincipal, auth: AuthService) {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header);
    return match ? auth.authenticateBearer(match[1]) : null;
  }
  const cookie = (request.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
  return cookie ? auth.authenticateCookie(cookie) : null;
}
