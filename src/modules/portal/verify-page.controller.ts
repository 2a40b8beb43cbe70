import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../infrastructure/http/domain-error.js';
import { setRetryAfter } from '../../infrastructure/http/error-body.js';
import { documentDate } from '../../infrastructure/i18n/vietnam-time.js';
import { normalizeFallbackChain } from '../../infrastructure/i18n/locales.js';
import { translate } from '../../infrastructure/i18n/messages.js';
import { VerificationService } from '../certification/verification.service.js';
import { Public } from '../identity/auth.decorators.js';
import { PortalView } from './portal-view.js';

/** The page a certificate's QR code opens: tiny, server-rendered, in Vietnamese and the reader's language. */
@ApiExcludeController()
@Controller()
export class VerifyPageController {
  constructor(
    @Inject(VerificationService) private readonly verification: VerificationService,
    @Inject(PortalView) private readonly view: PortalView,
  ) {}

  @Get('/verify/:code')
  @Public()
  async page(@Param('code') code: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const ctx = await this.view.context(req, reply);
    const { locale } = ctx;
    void reply.header('cache-control', 'no-store');
    // Labels in Vietnamese, with the reader's language beside them when it differs.
    const label = (key: string, params: Record<string, string> = {}) => ({
      vi: translate('vi', key, params),
      other: locale === 'vi' ? null : translate(locale, key, params),
    });
    const title = ctx.t('verify.title');
    try {
      const v = await this.verification.verify(code, normalizeFallbackChain([locale]), req.ip);
      const params = {
        date: v.statusDate ? documentDate(new Date(v.statusDate)) : '',
        serial: v.replacedBy?.serial ?? '',
      };
      return this.view.render(
        ctx,
        'verify',
        {
          found: true,
          v,
          valid: v.status === 'valid',
          status: label(`verify.status.${v.status}`, params),
          issuedOn: documentDate(new Date(v.issuedAt)),
          expiresOn: documentDate(new Date(v.expiresAt)),
          labels: Object.fromEntries(
            ['holder', 'programme', 'village', 'serial', 'issued', 'expires', 'courses'].map((k) => [
              k,
              label(`verify.${k}`),
            ]),
          ),
        },
        { title },
      );
    } catch (e) {
      if (!(e instanceof DomainError) || (e.statusCode !== 404 && e.statusCode !== 429)) throw e;
      setRetryAfter(reply, e.details);
      return this.view.render(
        ctx,
        'verify',
        { found: false, message: label(e.statusCode === 429 ? 'verify.rateLimited' : 'verify.notFound') },
        { title, status: e.statusCode },
      );
    }
  }
}
