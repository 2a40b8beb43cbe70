import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type {} from '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalizeFallbackChain, UI_LOCALES, type Locale } from '../../../infrastructure/i18n/locales.js';
import { DomainError } from '../../../infrastructure/errors/domain-error.js';
import { hasMessage, translate, type UiLocale } from '../../../infrastructure/i18n/messages.js';
import type { RequestWithPrincipal } from '../../../infrastructure/auth/auth.decorators.js';
import { hasRole, type Principal } from '../../../infrastructure/auth/roles.js';
import type { User } from '../../identity/identity.types.js';
import { UsersService } from '../../identity/users.service.js';
import { ASSET_VERSION } from './portal-assets.js';
import { LANGUAGE_NAMES } from './portal-handlebars.js';
import { readPreferences, type PortalPreferences } from './portal-preferences.js';

const UI_LANGUAGES = UI_LOCALES.map((code) => ({ code, name: LANGUAGE_NAMES[code] }));

/** Notices a redirect may ask the next page to show (`?notice=`), never free text from the URL. */
const NOTICES = new Set([
  'saved',
  'enrolled',
  'applied',
  'withdrawn',
  'approved',
  'rejected',
  'returned',
  'revoked',
  'submitted',
  'published',
  'signedIn',
  'recovered',
  'registered',
  'preferences',
  'mentoringLogged',
]);

export interface PageOptions {
  title?: string;
  status?: number;
  /** Scripts this page needs (only video lessons load the player, for instance). */
  scripts?: string[];
  /** Side-by-side editors and wide tables use the whole width of a laptop screen. */
  wide?: boolean;
}

/** The portal's areas: the shared pages, the learner's, the trainer's (/teach), the coordinator's. */
export type PortalArea = 'shell' | 'learn' | 'teach' | 'coordinate';

/** A refusal from a domain service, in the reader's words. */
export interface Refusal {
  error: DomainError;
  code: string;
  status: number;
  message: string;
}

/** Which refusals a form shows itself: some codes, some statuses (default: 400 and 409), or any. */
type FormRefusals = { codes?: readonly string[]; statuses?: readonly number[] } | 'any';

/** What every page knows about who is looking and how they want to read. */
export interface PortalContext {
  req: FastifyRequest;
  reply: FastifyReply;
  principal: Principal | undefined;
  user: User | null;
  prefs: PortalPreferences;
  locale: UiLocale;
  /** Content languages, most preferred first: the learner's own, then the UI language. */
  chain: Locale[];
  t: (key: string, params?: Record<string, string | number>) => string;
}

/** A page being answered: its context, and how it answers. */
export interface PortalPage extends PortalContext {
  readonly area: PortalArea;
  render(template: string, model: Record<string, unknown>, options?: PageOptions): Promise<unknown>;
  /** 303 to a page (after a form). */
  redirect(url: string): unknown;
  /**
   * A refusal of this request from a domain service is shown by the form itself (re-rendered with
   * the reason and what was typed) rather than on an error page.
   */
  onRefusal(show: (refusal: Refusal) => Promise<unknown> | unknown, which?: FormRefusals): void;
  /** The form that shows this refusal, if any (read by PortalExceptionFilter). */
  refusalHandler(refusal: Refusal): ((refusal: Refusal) => Promise<unknown> | unknown) | null;
  /** A refusal in the words of this area, else of the error codes, else the service's own. */
  refusalMessage(e: DomainError): string;
}

/** Area-specific words for refusals (`teach.error.AUTHORING_FOUR_EYES`). */
const REFUSAL_KEYS: Partial<Record<PortalArea, string>> = {
  teach: 'teach.error.',
  coordinate: 'coordinate.refused.',
};

/** Builds the page context and renders templates inside the main layout. */
@Injectable()
export class PortalView {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  async context(req: FastifyRequest, reply: FastifyReply): Promise<PortalContext> {
    const principal = (req as RequestWithPrincipal).principal;
    const prefs = readPreferences(req, reply);
    const user = principal ? await this.users.get(principal.userId) : null;
    const locale = prefs.locale;
    return {
      req,
      reply,
      principal,
      user,
      prefs,
      locale,
      chain: normalizeFallbackChain([...(user?.languages ?? []), locale]),
      t: (key, params) => translate(locale, key, params),
    };
  }

  async page(req: FastifyRequest, reply: FastifyReply, area: PortalArea): Promise<PortalPage> {
    const ctx = await this.context(req, reply);
    let form: { show: (refusal: Refusal) => Promise<unknown> | unknown; which: FormRefusals } | null = null;
    const page: PortalPage = {
      ...ctx,
      area,
      render: (template, model, options) => this.render(page, template, model, options),
      redirect: (url) => reply.redirect(url, 303),
      onRefusal: (show, which = {}) => {
        form = { show, which };
      },
      refusalHandler: (refusal) => {
        if (!form) return null;
        if (form.which === 'any') return form.show;
        const { codes, statuses = [400, 409] } = form.which;
        return (codes ? codes.includes(refusal.code) : statuses.includes(refusal.status)) ? form.show : null;
      },
      refusalMessage: (e) => {
        const key = `${REFUSAL_KEYS[area] ?? 'errors.'}${e.code}`;
        return hasMessage(key) ? ctx.t(key, stringParams(e.details)) : errorMessage(ctx, e);
      },
    };
    return page;
  }

  async render(
    ctx: PortalContext,
    template: string,
    model: Record<string, unknown>,
    options: PageOptions = {},
  ) {
    const { req, reply, principal, user, prefs, locale } = ctx;
    const url = new URL(req.url, 'http://portal');
    const notice = url.searchParams.get('notice');
    // A form answered with a page (its errors) sits at a POST-only address: links for switching
    // language or text size go to the page the form was on instead.
    const here = req.method === 'GET' ? url : formPage(req);
    const languages = UI_LANGUAGES.map((l) => {
      here.searchParams.set('lang', l.code);
      return { ...l, href: `${here.pathname}${here.search}`, current: l.code === locale };
    });
    here.searchParams.delete('lang');
    here.searchParams.delete('notice');
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'private, no-cache');
    void reply.header('vary', 'cookie, accept-language');
    return reply.status(options.status ?? 200).view(template, {
      ...model,
      locale,
      title: options.title,
      assetVersion: ASSET_VERSION,
      largeText: prefs.largeText,
      languages,
      currentPath: `${here.pathname}${here.search}`,
      csrfToken: await reply.generateCsrf(),
      notice: notice && NOTICES.has(notice) ? translate(locale, `notice.${notice}`) : null,
      scripts: options.scripts ?? [],
      wide: options.wide ?? false,
      user: user && { displayName: user.displayName },
      // Names the offline queue on a shared phone; not the user id itself.
      learnerKey: user && createHash('sha256').update(`learner:${user.id}`).digest('base64url').slice(0, 16),
      nav: {
        learner: !!principal,
        trainer: hasRole(principal, 'trainer') || hasRole(principal, 'admin'),
        coordinator: hasRole(principal, 'coordinator'),
        admin: hasRole(principal, 'admin'),
      },
    });
  }
}

/** The page a form was sent from (its Referer on this site), or home. */
function formPage(req: FastifyRequest): URL {
  try {
    const referer = new URL(String(req.headers.referer ?? ''));
    if (referer.host === req.headers.host)
      return new URL(`${referer.pathname}${referer.search}`, 'http://portal');
  } catch {
    // no or malformed Referer
  }
  return new URL('/', 'http://portal');
}

/** A refused action explained in the reader's language when we have the words, else the API's message. */
export function errorMessage(ctx: Pick<PortalContext, 't'>, e: DomainError): string {
  return hasMessage(`errors.${e.code}`) ? ctx.t(`errors.${e.code}`, stringParams(e.details)) : e.message;
}

const stringParams = (details: Record<string, unknown> | undefined) =>
  Object.fromEntries(
    Object.entries(details ?? {}).filter(([, v]) => typeof v === 'string' || typeof v === 'number'),
  ) as Record<string, string | number>;
