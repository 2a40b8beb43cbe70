import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { DomainError } from '../../infrastructure/http/domain-error.js';
import { setRetryAfter } from '../../infrastructure/http/error-body.js';
import { CONTENT_LOCALES, pickLocalized } from '../../infrastructure/i18n/locales.js';
import { isUiLocale } from '../../infrastructure/i18n/messages.js';
import { CourseCatalogService } from '../catalog/course-catalog.service.js';
import { clientContext } from '../identity/auth.controller.js';
import { Public } from '../identity/auth.decorators.js';
import { AuthService } from '../identity/auth.service.js';
import { SESSION_COOKIE } from '../identity/guards/auth.guard.js';
import { IdentityErrorCode } from '../identity/identity.errors.js';
import { EnrolmentService } from '../learning/enrolment.service.js';
import { assetPath } from './portal-assets.js';
import { LANGUAGE_NAMES } from './portal-handlebars.js';
import { rememberPreferences, safeNext } from './portal-preferences.js';
import { errorMessage, PortalView, type PortalContext } from './portal-view.js';
import { PortalForm } from './portal-form.js';

class LoginFormDto extends PortalForm {
  @IsString() @MaxLength(254) identifier!: string;
  @IsString() @MaxLength(1024) password!: string;
  @IsOptional() @IsString() @MaxLength(500) next?: string;
}

class RegisterFormDto extends PortalForm {
  @IsOptional() @IsString() @MaxLength(120) displayName?: string;
  @IsOptional() @IsString() @MaxLength(40) phone?: string;
  @IsOptional() @IsString() @MaxLength(1024) password?: string;
  @IsOptional() @IsIn(CONTENT_LOCALES) language?: string;
  @ValidateIf((form: RegisterFormDto) => !!form.group) @IsUUID() group?: string;
}

class PreferencesFormDto extends PortalForm {
  @IsOptional() @IsString() @MaxLength(8) lang?: string;
  @IsOptional() @IsString() @MaxLength(40) group?: string;
  @IsOptional() @IsIn(['on', 'off']) largeText?: string;
  /** The first-visit form: an unticked "large text" box means normal text. */
  @IsOptional() @IsIn(['1']) welcome?: string;
  @IsOptional() @IsString() @MaxLength(500) next?: string;
}

const session = (config: AppConfig) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: config.auth.secureCookies,
  maxAge: config.auth.refreshTtlSeconds,
});

/** The front door: home by learner group, the first-visit question, sign-in and registration. */
@ApiExcludeController()
@Controller()
export class PortalController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(PortalView) private readonly view: PortalView,
    @Inject(CourseCatalogService) private readonly catalog: CourseCatalogService,
    @Inject(EnrolmentService) private readonly enrolments: EnrolmentService,
  ) {}

  @Get('/')
  @Public()
  async home(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.view.context(req, reply);
    if (!ctx.user && !ctx.prefs.chosen) return reply.redirect('/welcome', 303);
    const groups = await this.activeGroups();
    const groupId = ctx.user?.learnerGroupId;
    const group =
      groups.find((g) => g.id === groupId) ?? groups.find((g) => g.code === ctx.prefs.groupCode) ?? null;
    const lang = ctx.chain.join(',');
    const [courses, learning] = await Promise.all([
      this.catalog.list({ group: group?.code, lang, page: 1, pageSize: 12 }),
      ctx.user ? this.enrolments.myLearning(ctx.user.id, lang) : null,
    ]);
    const continuing = (learning?.inProgress ?? []).slice(0, 3).map((c) => ({ ...c, slug: c.courseId }));
    return this.view.render(ctx, 'home', {
      courses: courses.items,
      group: group ? pickLocalized(group.names, ctx.chain)?.text : null,
      continuing,
    });
  }

  /** Learner groups to choose from, from the catalog's cache (the home page asks on every visit). */
  private async activeGroups() {
    return (await this.catalog.groups()).filter((g) => !g.archivedAt);
  }

  @Get('/welcome')
  @Public()
  async welcome(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.view.context(req, reply);
    return this.view.render(ctx, 'welcome', await this.choices(ctx), { title: ctx.t('welcome.title') });
  }

  private async choices(ctx: PortalContext) {
    const groups = await this.activeGroups();
    const next = safeNext((ctx.req.query as Record<string, unknown>).next);
    return {
      next,
      groupChosen: !!ctx.prefs.groupCode,
      groups: groups.map((g) => ({
        id: g.id,
        code: g.code,
        name: pickLocalized(g.names, ctx.chain),
        selected: g.code === ctx.prefs.groupCode || g.id === ctx.user?.learnerGroupId,
      })),
    };
  }

  /** The first-visit answers, the language and the text size: remembered in cookies, no account needed. */
  @Post('/preferences')
  @Public()
  async preferences(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() form: PreferencesFormDto,
  ) {
    const groups = await this.activeGroups();
    const group =
      form.group === undefined ? undefined : (groups.find((g) => g.code === form.group)?.code ?? null);
    rememberPreferences(reply, {
      locale: isUiLocale(form.lang) ? form.lang : undefined,
      groupCode: group,
      largeText: form.largeText === undefined && !form.welcome ? undefined : form.largeText === 'on',
    });
    const next = safeNext(form.next);
    return reply.redirect(`${next}${next.includes('?') ? '&' : '?'}notice=preferences`, 303);
  }

  @Get('/login')
  @Public()
  async loginPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.view.context(req, reply);
    const next = safeNext((req.query as Record<string, unknown>).next);
    return this.view.render(ctx, 'login', { next }, { title: ctx.t('login.title') });
  }

  @Post('/login')
  @Public()
  async login(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() form: LoginFormDto) {
    const ctx = await this.view.context(req, reply);
    try {
      const issued = await this.auth.login(form.identifier, form.password, 'portal', clientContext(req));
      void reply.setCookie(SESSION_COOKIE, issued.sessionToken, session(this.config));
      return reply.redirect(safeNext(form.next), 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const message =
        e.code === IdentityErrorCode.LoginRateLimited
          ? ctx.t('login.rateLimited', {
              minutes: Math.ceil(Number(e.details?.retryAfterSeconds ?? 60) / 60),
            })
          : e.code === IdentityErrorCode.AccountDisabled
            ? ctx.t('login.disabled')
            : ctx.t('login.failed');
      setRetryAfter(reply, e.details);
      return this.view.render(
        ctx,
        'login',
        { error: message, identifier: form.identifier, next: safeNext(form.next) },
        { title: ctx.t('login.title'), status: e.statusCode },
      );
    }
  }

  @Get('/register')
  @Public()
  async registerPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.view.context(req, reply);
    return this.renderRegister(ctx, {}, []);
  }

  private async renderRegister(ctx: PortalContext, form: RegisterFormDto, errors: string[], status = 200) {
    const { groups } = await this.choices(ctx);
    const language = form.language ?? (ctx.locale === 'hmn' ? 'hmn' : 'vi');
    return this.view.render(
      ctx,
      'register',
      {
        form,
        errors,
        groups: groups.map((g) => ({ ...g, selected: form.group ? g.id === form.group : g.selected })),
        contentLanguages: CONTENT_LOCALES.map((code) => ({
          code,
          name: LANGUAGE_NAMES[code],
          selected: code === language,
        })),
      },
      { title: ctx.t('register.title'), status },
    );
  }

  /** A learner account from a phone number; the group and language chosen on the first visit carry over. */
  @Post('/register')
  @Public()
  async register(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() form: RegisterFormDto) {
    const ctx = await this.view.context(req, reply);
    const missing = (['displayName', 'phone', 'password'] as const)
      .filter((f) => !form[f]?.trim())
      .map((f) => ctx.t(`register.required.${f}`));
    if (missing.length) return this.renderRegister(ctx, form, missing, 400);
    const language = form.language ?? 'vi';
    try {
      const issued = await this.auth.register(
        {
          displayName: form.displayName!.normalize('NFC').trim(),
          phone: form.phone,
          password: form.password!,
          languages: language === 'vi' ? ['vi'] : [language, 'vi'],
          learnerGroupId: form.group || undefined,
        },
        clientContext(req),
        'portal',
      );
      void reply.setCookie(SESSION_COOKIE, issued.sessionToken, session(this.config));
      return reply.redirect('/?notice=registered', 303);
    } catch (e) {
      if (!(e instanceof DomainError) || e.statusCode >= 500) throw e;
      return this.renderRegister(ctx, form, [errorMessage(ctx, e)], e.statusCode);
    }
  }

  @Post('/logout')
  @Public()
  async logout(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Body() _form: PortalForm) {
    const cookie = req.cookies?.[SESSION_COOKIE];
    if (cookie) await this.auth.endSessionByToken(cookie);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  }

  /** The service worker must be served from the root to control every page. */
  @Get('/sw.js')
  @Public()
  async serviceWorker(@Res() reply: FastifyReply) {
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(await readFile(assetPath('sw.js'), 'utf8'));
  }
}
