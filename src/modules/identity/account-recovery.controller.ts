import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Authenticated, CurrentPrincipal, Public } from '../../infrastructure/auth/auth.decorators.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { BODY_LIMITS, BodyLimit } from '../../infrastructure/http/body-intake.js';
import { AccountRecoveryService } from './account-recovery.service.js';
import { clientContext, tokenResponse } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import {
  IssueRecoveryCodeDto,
  RecoverAccountDto,
  RecoveryCodeResponse,
  RecoverySmsResponse,
  RequestRecoverySmsDto,
  TokenResponse,
} from './dto/auth.dto.js';
import { IdentityErrorCode as Code } from './identity.errors.js';
import { UsersService } from './users.service.js';

/** Account recovery: codes issued in person or by SMS, and the password set with one. */
@ApiTags('auth')
@BodyLimit(BODY_LIMITS.auth)
@Controller('api/v1')
export class AccountRecoveryController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(AccountRecoveryService) private readonly recovery: AccountRecoveryService,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  @Post('account-recovery/codes')
  @Authenticated()
  @ApiOperation({
    summary:
      "Issue a one-time recovery code for a learner of your area (certified ambassador of the learner's village, coordinator, admin; staff accounts: admin only)",
  })
  @ApiCreatedResponse({ type: RecoveryCodeResponse })
  @ApiErrors({
    403: [CommonErrorCode.Forbidden, Code.RecoveryNotAllowed, Code.AccountDisabled],
    404: [Code.UserNotFound],
    409: [Code.NotActivated],
    429: [Code.RecoveryRateLimited],
  })
  async issue(
    @CurrentPrincipal() who: Principal,
    @Body() dto: IssueRecoveryCodeDto,
  ): Promise<RecoveryCodeResponse> {
    const issued = await this.recovery.issue(who, dto.identifier);
    const places = await this.users.placeNames([issued.user]);
    return {
      code: issued.code,
      expiresAt: issued.expiresAt.toISOString(),
      userId: issued.user.id,
      displayName: issued.user.displayName,
      villageName: (issued.user.villageId && places.get(issued.user.villageId)) || null,
      recoverUrl: `${this.config.publicBaseUrl}/recover`,
    };
  }

  @Post('auth/recovery')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary: 'Set a new password with a recovery code; every other session ends, and you are signed in',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiErrors({
    400: [Code.WeakPassword],
    401: [Code.RecoveryInvalid],
    429: [Code.LoginRateLimited],
  })
  async recover(@Body() dto: RecoverAccountDto, @Req() req: FastifyRequest): Promise<TokenResponse> {
    return tokenResponse(
      this.auth,
      await this.auth.recoverAccount(dto.identifier, dto.code, dto.password, 'api', clientContext(req)),
    );
  }

  @Post('auth/recovery/sms')
  @HttpCode(202)
  @Public()
  @ApiOperation({
    summary:
      "Text a recovery code to a learner's phone (where an SMS gateway is configured); the same answer whether the number has an account or not",
  })
  @ApiAcceptedResponse({ type: RecoverySmsResponse })
  @ApiErrors({
    400: [Code.InvalidPhone],
    409: [Code.RecoverySmsUnavailable],
    429: [Code.RecoveryRateLimited],
  })
  async requestSms(
    @Body() dto: RequestRecoverySmsDto,
    @Req() req: FastifyRequest,
  ): Promise<RecoverySmsResponse> {
    return this.recovery.requestBySms(dto.phone, req.ip);
  }
}
