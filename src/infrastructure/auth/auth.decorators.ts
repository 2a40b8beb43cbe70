import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Principal, Role } from './roles.js';

export const IS_PUBLIC = Symbol('IS_PUBLIC');
export const REQUIRED_ROLES = Symbol('REQUIRED_ROLES');

/** Open to anyone; a signed-in caller is still recognised. Every other route needs sign-in. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Bearer token (API clients) or the portal's session cookie. 401 is documented from this. */
const signedIn = () => applyDecorators(ApiBearerAuth(), ApiCookieAuth());

/** The caller must hold one of these roles (403 otherwise). */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLES, roles),
    signedIn(),
    ApiForbiddenResponse({ description: `\`FORBIDDEN\`: needs the ${roles.join(' or ')} role` }),
  );

/** Any signed-in user. */
export const Authenticated = () => signedIn();

export type RequestWithPrincipal = FastifyRequest & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  return ctx.switchToHttp().getRequest<RequestWithPrincipal>().principal;
});
