import { Body, Get, Inject, Param, Post } from '@nestjs/common';
import { IsString, Matches, MaxLength } from 'class-validator';
import { documentDate } from '../../../infrastructure/i18n/vietnam-time.js';
import { normalizeFallbackChain } from '../../../infrastructure/i18n/locales.js';
import { translate } from '../../../infrastructure/i18n/messages.js';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { VerificationService } from '../../certification/verification.service.js';
import type { CredentialReport } from '../../certification/open-badges/credential-checks.js';
import { Public } from '../../../infrastructure/auth/auth.decorators.js';
import { type PortalPage } from './portal-view.js';
import { Page, PortalPages } from './page.js';
import { PortalForm } from './portal-form.js';

/** What a JSON-LD reader asks a credential's id URL for (VC 2.0 names all three). */
const JSON_LD = /application\/(ld\+json|vc\+ld\+json|vc)\b/;

class CheckCredentialForm extends PortalForm {
  /** The credential as text: pasted, or read from the chosen file by verify-credential.js. */
  @IsString() @MaxLength(24_000) credential!: string;
  /** SHA-256 of a PDF the reader chose, computed in their browser (the PDF never leaves it); empty: none. */
  @Optional()
  @Matches(/^([0-9a-fA-F]{64})?$/, { message: 'pdfSha256 must be 64 hexadecimal characters' })
  pdfSha256?: string;
}

/**
 * The page a certificate's QR code opens: tiny, server-rendered, in Vietnamese and the reader's
 * language; the same URL is the credential's id and answers JSON-LD readers the credential. And a
 * page where anyone checks a credential file someone gave them.
 */
@PortalPages('shell')
export class VerifyPageController {
  constructor(@Inject(VerificationService) private readonly verification: VerificationService) {}

  @Get('/verify')
  @Public()
  checkForm(@Page() page: PortalPage) {
    return this.renderCheck(page, {});
  }

  @Post('/verify')
  @Public()
  async check(@Page() page: PortalPage, @Body() form: CheckCredentialForm) {
    page.onRefusal(
      () => this.renderCheck(page, { credential: form.credential, error: page.t('verify.rateLimited') }, 429),
      { statuses: [429] },
    );
    let credential: unknown;
    try {
      credential = JSON.parse(form.credential);
    } catch {
      return this.renderCheck(
        page,
        { credential: form.credential, error: page.t('verify.check.notJson') },
        400,
      );
    }
    const report = await this.verification.check(
      credential,
      form.pdfSha256?.toLowerCase() || undefined,
      page.req.ip,
    );
    return this.renderCheck(page, { credential: form.credential, report: this.reportView(page, report) });
  }

  @Get('/verify/:code')
  @Public()
  async verify(@Param('code') code: string, @Page() page: PortalPage) {
    const { locale } = page;
    void page.reply.header('cache-control', 'no-store').header('vary', 'accept');
    if (JSON_LD.test(page.req.headers.accept ?? '')) {
      const credential = await this.verification.credential(code, page.req.ip);
      const type = JSON_LD.exec(page.req.headers.accept!)![0];
      return page.reply.type(`${type}; charset=utf-8`).send(JSON.stringify(credential));
    }
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

  private renderCheck(page: PortalPage, model: Record<string, unknown>, status = 200) {
    void page.reply.header('cache-control', 'no-store');
    return page.render('verify-credential', model, {
      title: page.t('verify.check.title'),
      status,
      scripts: ['/assets/verify-credential.js'],
    });
  }

  /** Each check in the reader's words; the English detail stays for whoever needs it. */
  private reportView(page: PortalPage, report: CredentialReport) {
    return {
      valid: report.valid,
      verdict: page.t(report.valid ? 'verify.check.valid' : 'verify.check.invalid'),
      summary: report.summary,
      checks: report.checks.map((c) => ({
        ...c,
        label: page.t(`verify.check.name.${c.name}`),
        result: page.t(`verify.check.outcome.${c.outcome}`),
        ok: c.outcome === 'passed',
        failed: c.outcome === 'failed',
      })),
    };
  }
}
