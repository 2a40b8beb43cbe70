import { Catch, Inject, Optional, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError, httpStatusOf } from '../../../infrastructure/errors/domain-error.js';
import { setRetryAfter } from '../../../infrastructure/http/error-body.js';
import {
  AllExceptionsFilter,
  ERROR_PAGES,
  type ErrorPages,
} from '../../../infrastructure/http/all-exceptions.filter.js';
import { pageOfRequest } from './page.js';

/**
 * Domain refusals on portal pages. A page that asked for them (`page.onRefusal`) is shown again with
 * the reason and what was typed; in the trainer's area the reason gets its own page; anything else
 * (a 401 nobody asked for, every 5xx) goes on to the global filter's error page.
 */
@Catch(DomainError)
export class PortalExceptionFilter implements ExceptionFilter {
  private readonly fallback: AllExceptionsFilter;

  constructor(@Optional() @Inject(ERROR_PAGES) pages?: ErrorPages) {
    this.fallback = new AllExceptionsFilter(pages);
  }

  async catch(error: DomainError, host: ArgumentsHost) {
    const page = pageOfRequest(host.switchToHttp().getRequest<FastifyRequest>());
    const status = httpStatusOf(error.code);
    if (!page || status >= 500 || page.reply.sent) return this.fallback.catch(error, host);
    const refusal = { error, code: error.code, status, message: page.refusalMessage(error) };
    const form = page.refusalHandler(refusal);
    if (form) {
      setRetryAfter(page.reply, error.details);
      try {
        return await form(refusal);
      } catch (again) {
        // Showing the form again was refused too (it reads what the post named, e.g. a village
        // outside the reader's area): the error page. An exception out of a filter is unhandled
        // and would end the process.
        if (page.reply.sent) return;
        return this.fallback.catch(again, host);
      }
    }
    // A 401 sends the browser to the sign-in form and back.
    if (page.area !== 'teach' || status === 401) return this.fallback.catch(error, host);
    return page.render(
      'teach/refused',
      { message: refusal.message, code: error.code },
      { title: page.t(`${page.area}.refused.title`), status },
    );
  }
}
