import { Get, Inject, Param } from '@nestjs/common';
import { documentDate } from '../../../infrastructure/i18n/vietnam-time.js';
import { normalizeFallbackChain } from '../../../infrastructure/i18n/locales.js';
import { translate } from '../../../infrastructure/i18n/messages.js';
import { VerificationService } from '../../certification/verification.service.js';
import { Public } from '../../../infrastructure/auth/auth.decorators.js';
import { type PortalPage } from './portal-view.js';
import { Page, PortalPages } from './page.js';

/** The page a certificate's QR code opens: tiny, server-rendered, in Vietnamese and the reader's language. */
@PortalPages('shell')
export class VerifyPageController {
  constructor(@Inject(VerificationService) private readonly verification: VerificationService) {}

  @Get('/verify/:code')
  @Public()
  async verify(@Param('code') code: string, @Page() page: PortalPage) {
    const { locale } = page;
    void page.reply.header('cache-control', 'no-store');
    // Labels in Vietnamese, with the reader's language beside them when it differs.
    const label = (key: string, params: Record<string, string> = {}) => ({
      vi: translate('vi', key, params),
      other: locale === 'vi' ? null : translate(locale, key, params),
    });
    const title = page.t('verify.title');
    page.onRefusal(
      (r) =>
        page.render(
          'verify',
          { found: false, message: label(r.status === 429 ? 'verify.rateLimited' : 'verify.notFound') },
          { title, status: r.status },
        ),
      { statuses: [404, 429] },
    );
    const v = await this.verification.verify(code, normalizeFallbackChain([locale]), page.req.ip);
    const params = {
      date: v.statusDate ? documentDate(new Date(v.statusDate)) : '',
      serial: v.replacedBy?.serial ?? '',
    };
    return page.render(
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
  }
}
