import { Body, Get, Inject, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { IsIn, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { readFile } from 'node:fs/promises';
import { AppConfig } from '../../../infrastructure/config/app-config.js';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { CONTENT_LOCALES, pickLocalized } from '../../../infrastructure/i18n/locales.js';
import { isUiLocale, translate } from '../../../infrastructure/i18n/messages.js';
import { CourseCatalogService } from '../../catalog/course-catalog.service.js';
import { clientContext } from '../../identity/auth.controller.js';
import { Public } from '../../../infrastructure/auth/auth.decorators.js';
import { AuthService } from '../../identity/auth.service.js';
import { SESSION_COOKIE } from '../../identity/guards/auth.guard.js';
import { IdentityErrorCode } from '../../identity/identity.errors.js';
import { EnrolmentService } from '../../learning/enrolment.service.js';
import { ASSET_VERSION, assetPath } from './portal-assets.js';
import { LANGUAGE_NAMES } from './portal-handlebars.js';
import { rememberPreferences, safeNext } from './portal-preferences.js';
import { type PortalPage } from './portal-view.js';
import { Page, PortalPages } from './page.js';
import { PortalForm } from './portal-form.js';
import { codeFormRefusal, rateLimitedText, sessionCookie } from './sign-in-forms.js';

class LoginFormDto extends PortalForm {
  @IsString() @MaxLength(254) identifier!: string;
  @IsString() @MaxLength(1024) password!: string;
  @Optional() @IsString() @MaxLength(500) next?: string;
}

class InvitationFormDto extends PortalForm {
  @IsString() @MaxLength(254) identifier!: string;
  @IsString() @MaxLength(40) code!: string;
  @IsString() @MaxLength(1024) password!: string;
}

class RegisterFormDto extends PortalForm {
  @Optional() @IsString() @MaxLength(120) displayName?: string;
  @Optional() @IsString() @MaxLength(40) phone?: string;
  @Optional() @IsString() @MaxLength(1024) password?: string;
  @Optional() @IsIn(CONTENT_LOCALES) language?: string;
  @ValidateIf((form: RegisterFormDto) => !!form.group) @IsUUID() group?: string;
}

class PreferencesFormDto extends PortalForm {
  @Optional() @IsString() @MaxLength(8) lang?: string;
  @Optional() @IsString() @MaxLength(40) group?: string;
  @Optional() @IsIn(['on', 'off']) largeText?: string;
  /** The first-visit form: an unticked "large text" box means normal text. */
  @Optional() @IsIn(['1']) welcome?: string;
  @Optional() @IsString() @MaxLength(500) next?: string;
}

/** The front door: home by learner group, the first-visit question, sign-in and registration. */
@PortalPages('shell')
export class ShellPagesController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(CourseCatalogService) private readonly catalog: CourseCatalogService,
    @Inject(EnrolmentService) private readonly enrolments: EnrolmentService,
  ) {}

  @Get('/')
  @Public()
  async home(@Page() page: PortalPage) {
    if (!page.user && !page.prefs.chosen) return page.redirect('/welcome');
    const groups = await this.activeGroups();
    const groupId = page.user?.learnerGroupId;
    const group =
      groups.find((g) => g.id === groupId) ?? groups.find((g) => g.code === page.prefs.groupCode) ?? null;
    const lang = page.chain.join(',');
    const [courses, learning] = await Promise.all([
      this.catalog.list({ group: group?.code, lang, page: 1, pageSize: 12 }),
      page.user ? this.enrolments.myLearning(page.user.id, lang) : null,
    ]);
    const continuing = (learning?.inProgress ?? []).slice(0, 3).map((c) => ({ ...c, slug: c.courseId }));
    return page.render('home', {
      courses: courses.items,
      group: group ? pickLocalized(group.names, page.chain)?.text : null,
      continuing,
    });
  }

  /** Learner groups to choose from, from the catalog's cache (the home page asks on every visit). */
  private async activeGroups() {
    return (await this.catalog.groups()).filter((g) => !g.archivedAt);
  }

  @Get('/welcome')
  @Public()
  async welcome(@Page() page: PortalPage) {
    return page.render('welcome', await this.choices(page), { title: page.t('welcome.title') });
  }

  private async choices(page: PortalPage) {
    const groups = await this.activeGroups();
    const next = safeNext((page.req.query as Record<string, unknown>).next);
    return {
      next,
      groupChosen: !!page.prefs.groupCode,
      groups: groups.map((g) => ({
        id: g.id,
        code: g.code,
        name: pickLocalized(g.names, page.chain),
        selected: g.code === page.prefs.groupCode || g.id === page.user?.learnerGroupId,
      })),
    };
  }

  /** The first-visit answers, the language and the text size: remembered in cookies, no account needed. */
  @Post('/preferences')
  @Public()
  async preferences(@Page() page: PortalPage, @Body() form: PreferencesFormDto) {
    const groups = await this.activeGroups();
    const group =
      form.group === undefined ? undefined : (groups.find((g) => g.code === form.group)?.code ?? null);
    rememberPreferences(page.reply, {
      locale: isUiLocale(form.lang) ? form.lang : undefined,
      groupCode: group,
      largeText: form.largeText === undefined && !form.welcome ? undefined : form.largeText === 'on',
    });
    const next = safeNext(form.next);
    return page.redirect(`${next}${next.includes('?') ? '&' : '?'}notice=preferences`);
  }

  @Get('/login')
  @Public()
  async loginPage(@Page() page: PortalPage) {
    const next = safeNext((page.req.query as Record<string, unknown>).next);
    return page.render('login', { next }, { title: page.t('login.title') });
  }

  @Post('/login')
  @Public()
  async login(@Page() page: PortalPage, @Body() form: LoginFormDto) {
    page.onRefusal(({ error, status }) => {
      // Which of the three it is, and nothing more (not whether the account exists).
      const message =
        error.code === IdentityErrorCode.LoginRateLimited
          ? rateLimitedText(page, error)
          : error.code === IdentityErrorCode.AccountDisabled
            ? page.t('login.disabled')
            : page.t('login.failed');
      return page.render(
        'login',
        { error: message, identifier: form.identifier, next: safeNext(form.next) },
        { title: page.t('login.title'), status },
      );
    }, 'any');
    const issued = await this.auth.login(form.identifier, form.password, 'portal', clientContext(page.req));
    void page.reply.setCookie(SESSION_COOKIE, issued.sessionToken, sessionCookie(this.config));
    return page.redirect(safeNext(form.next));
  }

  @Get('/register')
  @Public()
  async registerPage(@Page() page: PortalPage) {
    return this.renderRegister(page, {}, []);
  }

  private async renderRegister(page: PortalPage, form: RegisterFormDto, errors: string[], status = 200) {
    const { groups } = await this.choices(page);
    const language = form.language ?? (page.locale === 'hmn' ? 'hmn' : 'vi');
    return page.render(
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
      { title: page.t('register.title'), status },
    );
  }

  /** A learner account from a phone number; the group and language chosen on the first visit carry over. */
  @Post('/register')
  @Public()
  async register(@Page() page: PortalPage, @Body() form: RegisterFormDto) {
    const missing = (['displayName', 'phone', 'password'] as const)
      .filter((f) => !form[f]?.trim())
      .map((f) => page.t(`register.required.${f}`));
    if (missing.length) return this.renderRegister(page, form, missing, 400);
    const language = form.language ?? 'vi';
    page.onRefusal((r) => this.renderRegister(page, form, [r.message], r.status), 'any');
    const issued = await this.auth.register(
      {
        displayName: form.displayName!.normalize('NFC').trim(),
        phone: form.phone,
        password: form.password!,
        languages: language === 'vi' ? ['vi'] : [language, 'vi'],
        learnerGroupId: form.group || undefined,
      },
      clientContext(page.req),
      'portal',
    );
    void page.reply.setCookie(SESSION_COOKIE, issued.sessionToken, sessionCookie(this.config));
    return page.redirect('/?notice=registered');
  }

  /** Where someone whose account staff made sets their password with the code they were given. */
  @Get('/invitation')
  @Public()
  async invitationPage(@Page() page: PortalPage) {
    return page.render('invitation', {}, { title: page.t('invitation.title') });
  }

  @Post('/invitation')
  @Public()
  async acceptInvitation(@Page() page: PortalPage, @Body() form: InvitationFormDto) {
    const fail = (message: string, status: number) =>
      page.render(
        'invitation',
        { error: message, identifier: form.identifier, code: form.code },
        { title: page.t('invitation.title'), status },
      );
    page.onRefusal(
      (refusal) => fail(codeFormRefusal(page, refusal, 'invitation.failed'), refusal.status),
      'any',
    );
    const issued = await this.auth.acceptInvitation(
      form.identifier,
      form.code,
      form.password,
      'portal',
      clientContext(page.req),
    );
    void page.reply.setCookie(SESSION_COOKIE, issued.sessionToken, sessionCookie(this.config));
    return page.redirect('/?notice=signedIn');
  }

  @Post('/logout')
  @Public()
  async logout(@Page() page: PortalPage, @Body() _form: PortalForm) {
    const cookie = page.req.cookies?.[SESSION_COOKIE];
    if (cookie) await this.auth.endSessionByToken(cookie);
    void page.reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return page.redirect('/');
  }

  /**
   * The web app manifest, in the language the page asked for (`?lang=`, the reader's choice): what
   * a phone needs to put Bản Số on its home screen, with its name and icons, opening at "/" (kept
   * offline by the service worker, or its offline page).
   */
  @Get('/manifest.webmanifest')
  @Public()
  async manifest(@Query('lang') lang: unknown, @Res() reply: FastifyReply) {
    const locale = isUiLocale(lang) ? lang : 'vi';
    const icon = (file: string, sizes: string, purpose = 'any') => ({
      src: `/assets/${file}?v=${ASSET_VERSION}`,
      sizes,
      type: file.endsWith('.svg') ? 'image/svg+xml' : 'image/png',
      purpose,
    });
    return reply
      .type('application/manifest+json; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send({
        id: '/',
        name: translate(locale, 'app.name'),
        short_name: translate(locale, 'app.name'),
        description: translate(locale, 'manifest.description'),
        lang: locale,
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#0b5394',
        icons: [
          icon('icon-192.png', '192x192'),
          icon('icon-512.png', '512x512'),
          icon('icon-maskable-512.png', '512x512', 'maskable'),
          icon('icon.svg', 'any'),
        ],
      });
  }

  /** What the service worker shows for a page it has not kept, when there is no connection. */
  @Get('/offline')
  @Public()
  async offline(@Page() page: PortalPage) {
    return page.render('offline', {}, { title: page.t('offlinePage.title') });
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
