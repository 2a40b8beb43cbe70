import { Body, Get, Inject, Post } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { Authenticated, Public } from '../../../infrastructure/auth/auth.decorators.js';
import { AppConfig } from '../../../infrastructure/config/app-config.js';
import { CommonError } from '../../../infrastructure/errors/domain-error.js';
import { AccountRecoveryService } from '../../identity/account-recovery.service.js';
import { clientContext } from '../../identity/auth.controller.js';
import { AuthService } from '../../identity/auth.service.js';
import { SESSION_COOKIE } from '../../identity/guards/auth.guard.js';
import { RECOVERY_MINUTES } from '../../identity/recovery-code.js';
import { UsersService } from '../../identity/users.service.js';
import { Page, PortalPages } from './page.js';
import { PortalForm } from './portal-form.js';
import { type PortalPage } from './portal-view.js';
import { codeFormRefusal, sessionCookie } from './sign-in-forms.js';

class RecoverForm extends PortalForm {
  @IsString() @MaxLength(254) identifier!: string;
  @IsString() @MaxLength(40) code!: string;
  @IsString() @MaxLength(1024) password!: string;
}

class SmsCodeForm extends PortalForm {
  @IsString() @MaxLength(40) phone!: string;
}

class IssueForm extends PortalForm {
  @IsString() @MaxLength(254) identifier!: string;
}

const VIETNAM_CLOCK = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * Getting back in after a forgotten password: the learner's page (`/recover`: the code read out to
 * them, or texted) and the helper's page (`/recovery-codes`: an ambassador, coordinator or admin
 * issues a code for the person in front of them).
 */
@PortalPages('shell')
export class RecoveryPagesController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(AccountRecoveryService) private readonly recovery: AccountRecoveryService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  @Get('/recover')
  @Public()
  async recoverPage(@Page() page: PortalPage) {
    return this.renderRecover(page, {});
  }

  private renderRecover(page: PortalPage, data: Record<string, unknown>, status = 200) {
    return page.render(
      'recover',
      { smsAvailable: this.recovery.smsAvailable, minutes: RECOVERY_MINUTES, ...data },
      { title: page.t('recover.title'), status },
    );
  }

  @Post('/recover')
  @Public()
  async recover(@Page() page: PortalPage, @Body() form: RecoverForm) {
    page.onRefusal(
      (refusal) =>
        this.renderRecover(
          page,
          {
            error: codeFormRefusal(page, refusal, 'recover.failed'),
            identifier: form.identifier,
            code: form.code,
          },
          refusal.status,
        ),
      'any',
    );
    const issued = await this.auth.recoverAccount(
      form.identifier,
      form.code,
      form.password,
      'portal',
      clientContext(page.req),
    );
    void page.reply.setCookie(SESSION_COOKIE, issued.sessionToken, sessionCookie(this.config));
    return page.redirect('/?notice=recovered');
  }

  @Post('/recover/sms')
  @Public()
  async textMeACode(@Page() page: PortalPage, @Body() form: SmsCodeForm) {
    page.onRefusal(
      ({ status, message }) =>
        this.renderRecover(page, { smsError: message, identifier: form.phone }, status),
      'any',
    );
    await this.recovery.requestBySms(form.phone, page.req.ip);
    return this.renderRecover(page, { sent: true, identifier: form.phone });
  }

  @Get('/recovery-codes')
  @Authenticated()
  async issuePage(@Page() page: PortalPage) {
    await this.assertMayIssue(page);
    return this.renderIssue(page, {});
  }

  @Post('/recovery-codes')
  @Authenticated()
  async issue(@Page() page: PortalPage, @Body() form: IssueForm) {
    page.onRefusal(
      ({ status, message }) =>
        this.renderIssue(page, { error: message, identifier: form.identifier }, status),
      'any',
    );
    const issued = await this.recovery.issue(page.principal!, form.identifier);
    const places = await this.users.placeNames([issued.user]);
    return this.renderIssue(page, {
      issued: {
        code: issued.code,
        name: issued.user.displayName,
        village: issued.user.villageId ? places.get(issued.user.villageId) : null,
        until: VIETNAM_CLOCK.format(issued.expiresAt),
      },
    });
  }

  /** The code is shown once: never cached, never kept by the browser's back button. */
  private renderIssue(page: PortalPage, data: Record<string, unknown>, status = 200) {
    void page.reply.header('cache-control', 'no-store');
    return page.render(
      'recovery-codes',
      { minutes: RECOVERY_MINUTES, ...data },
      { title: page.t('recoveryCodes.title'), status },
    );
  }

  private async assertMayIssue(page: PortalPage) {
    if (!(await this.recovery.mayIssue(page.principal!))) {
      throw CommonError.forbidden(page.t('recoveryCodes.notForYou'));
    }
  }
}
