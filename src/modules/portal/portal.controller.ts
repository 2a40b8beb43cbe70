import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type {} from '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { DomainError } from '../../infrastructure/http/domain-error.js';
import { setRetryAfter } from '../../infrastructure/http/error-body.js';
import { translate } from '../../infrastructure/i18n/messages.js';
import { clientContext } from '../identity/auth.controller.js';
import { CurrentPrincipal, Public } from '../identity/auth.decorators.js';
import { AuthService } from '../identity/auth.service.js';
import { SESSION_COOKIE } from '../identity/guards/auth.guard.js';
import { IdentityErrorCode } from '../identity/identity.errors.js';
import type { Principal } from '../identity/roles.js';
import { UsersService } from '../identity/users.service.js';
import { resolvePortalLocale } from './portal-locale.js';

class LoginFormDto {
  @IsString() @MaxLength(254) identifier!: string;
  @IsString() @MaxLength(1024) password!: string;
  @IsOptional() @IsString() _csrf?: string;
}

class CsrfOnlyFormDto {
  @IsOptional() @IsString() _csrf?: string;
}

/** Server-rendered pages. Forms work without JavaScript and carry a CSRF token. */
@ApiExcludeController()
@Controller()
export class PortalController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  @Get('/')
  @Public()
  async home(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentPrincipal() principal?: Principal,
  ) {
    const locale = resolvePortalLocale(req, reply);
    const user = principal ? await this.users.get(principal.userId) : null;
    return reply.view('home', {
      locale,
      user: user && { displayName: user.displayName },
      csrfToken: await reply.generateCsrf(),
    });
  }

  @Get('/login')
  @Public()
  async loginPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = resolvePortalLocale(req, reply);
    return reply.view('login', {
      locale,
      title: translate(locale, 'login.title'),
      csrfToken: await reply.generateCsrf(),
    });
  }

  @Post('/login')
  @Public()
  async login(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() form: LoginFormDto) {
    const locale = resolvePortalLocale(req, reply);
    try {
      const session = await this.auth.login(form.identifier, form.password, 'portal', clientContext(req));
      void reply.setCookie(SESSION_COOKIE, session.sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: this.config.auth.secureCookies,
        maxAge: this.config.auth.refreshTtlSeconds,
      });
      return reply.redirect('/', 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const message =
        e.code === IdentityErrorCode.LoginRateLimited
          ? translate(locale, 'login.rateLimited', {
              minutes: Math.ceil(Number(e.details?.retryAfterSeconds ?? 60) / 60),
            })
          : e.code === IdentityErrorCode.AccountDisabled
            ? translate(locale, 'login.disabled')
            : translate(locale, 'login.failed');
      setRetryAfter(reply, e.details);
      return reply.status(e.statusCode).view('login', {
        locale,
        title: translate(locale, 'login.title'),
        error: message,
        identifier: form.identifier,
        csrfToken: await reply.generateCsrf(),
      });
    }
  }

  @Post('/logout')
  @Public()
  async logout(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() _form: CsrfOnlyFormDto) {
    const cookie = req.cookies?.[SESSION_COOKIE];
    if (cookie) await this.auth.endSessionByToken(cookie);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  }
}
