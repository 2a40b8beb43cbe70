import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type {} from '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../infrastructure/http/domain-error.js';
import { normalizeFallbackChain } from '../../infrastructure/i18n/locales.js';
import { translate } from '../../infrastructure/i18n/messages.js';
import { throttled } from '../certification/verification.controller.js';
import { VerificationService } from '../certification/verification.service.js';
import { Public } from '../identity/auth.decorators.js';
import { resolvePortalLocale } from './portal-locale.js';

const day = (iso: string | null) =>
  iso ? iso.slice(8, 10) + '/' + iso.slice(5, 7) + '/' + iso.slice(0, 4) : '';

/** The page a certificate's QR code opens: tiny, server-rendered, in Vietnamese and the reader's language. */
@ApiExcludeController()
@Controller()
export class VerifyPageController {
  constructor(@Inject(VerificationService) private readonly verification: VerificationService) {}

  @Get('/verify/:code')
  @Public()
  async page(@Param('code') code: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const locale = resolvePortalLocale(req, reply);
    void reply.header('cache-control', 'no-store');
    // Labels in Vietnamese, with the reader's language beside them when it differs.
    const label = (key: string, params: Record<string, string> = {}) => ({
      vi: translate('vi', key, params),
      other: locale === 'vi' ? null : translate(locale, key, params),
    });
    try {
      const v = await throttled(this.verification, req, reply, () =>
        this.verification.verify(code, normalizeFallbackChain([locale])),
      );
      const statusKey = `verify.status.${v.status}`;
      const params = { date: day(v.statusDate), serial: v.replacedBy?.serial ?? '' };
      return reply.view('verify', {
        locale,
        title: translate(locale, 'verify.title'),
        found: true,
        v,
        valid: v.status === 'valid',
        status: label(statusKey, params),
        issuedOn: day(v.issuedAt),
        expiresOn: day(v.expiresAt),
        labels: Object.fromEntries(
          ['holder', 'programme', 'village', 'serial', 'issued', 'expires', 'courses'].map((k) => [
            k,
            label(`verify.${k}`),
          ]),
        ),
      });
    } catch (e) {
      if (!(e instanceof DomainError) || (e.statusCode !== 404 && e.statusCode !== 429)) throw e;
      return reply.status(e.statusCode).view('verify', {
        locale,
        title: translate(locale, 'verify.title'),
        found: false,
        message: label(e.statusCode === 429 ? 'verify.rateLimited' : 'verify.notFound'),
      });
    }
  }
}
