import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { CurrentPrincipal, Public } from '../../infrastructure/auth/auth.decorators.js';
import { AuthService, type IssuedSession } from './auth.service.js';
import {
  AcceptInvitationDto,
  CsrfTokenResponse,
  LoginDto,
  LogoutDto,
  RefreshDto,
  RegisterDto,
  TokenResponse,
} from './dto/auth.dto.js';
import { IdentityErrorCode as Code } from './identity.errors.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { toUserResponse } from './identity.views.js';
import { BODY_LIMITS, BodyLimit } from '../../infrastructure/http/body-intake.js';

export const clientContext = (req: FastifyRequest) => ({
  ip: req.ip,
  userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : undefined,
});

/** The API's answer to a new session: tokens and the user. */
export async function tokenResponse(auth: AuthService, session: IssuedSession): Promise<TokenResponse> {
  const access = await auth.accessTokenFor(session);
  return {
    accessToken: access.token,
    tokenType: 'Bearer',
    expiresIn: access.expiresIn,
    refreshToken: session.sessionToken,
    user: toUserResponse(session.user),
  };
}

@ApiTags('auth')
@BodyLimit(BODY_LIMITS.auth)
@Controller('api/v1/auth')
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  private tokens(session: IssuedSession): Promise<TokenResponse> {
    return tokenResponse(this.auth, session);
  }

  @Post('register')
  @Public()
  @ApiOperation({ summary: 'Sign up as a learner with a Vietnamese phone number or an email' })
  @ApiCreatedResponse({ type: TokenResponse })
  @ApiErrors({
    400: [
      Code.InvalidPhone,
      Code.IdentifierRequired,
      Code.WeakPassword,
      Code.UnknownLearnerGroup,
      Code.InvalidVillage,
    ],
    409: [Code.AccountExists],
    429: [Code.RegisterRateLimited],
  })
  async register(@Body() dto: RegisterDto, @Req() req: FastifyRequest): Promise<TokenResponse> {
    return this.tokens(await this.auth.register(dto, clientContext(req)));
  }

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Sign in; rate-limited per account and per IP' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiErrors({
    401: [Code.InvalidCredentials],
    403: [Code.AccountDisabled],
    429: [Code.LoginRateLimited],
  })
  async login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<TokenResponse> {
    return this.tokens(await this.auth.login(dto.identifier, dto.password, 'api', clientContext(req)));
  }

  @Post('invitation')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary:
      'Accept an invitation: set the password of an account staff made, with its one-time code, and sign in',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiErrors({
    400: [Code.WeakPassword],
    401: [Code.InvitationInvalid],
    403: [Code.AccountDisabled],
    429: [Code.LoginRateLimited],
  })
  async acceptInvitation(
    @Body() dto: AcceptInvitationDto,
    @Req() req: FastifyRequest,
  ): Promise<TokenResponse> {
    return this.tokens(
      await this.auth.acceptInvitation(dto.identifier, dto.code, dto.password, 'api', clientContext(req)),
    );
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Exchange a refresh token for new tokens (the refresh token rotates)' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiErrors({ 401: [Code.InvalidRefreshToken] })
  async refresh(@Body() dto: RefreshDto): Promise<TokenResponse> {
    return this.tokens(await this.auth.refresh(dto.refreshToken));
  }

  @Post('logout')
  @HttpCode(204)
  @Public()
  @ApiOperation({ summary: 'End the session of the refresh token, or of the caller' })
  @ApiNoContentResponse()
  async logout(@Body() dto: LogoutDto, @CurrentPrincipal() principal?: Principal): Promise<void> {
    if (dto.refreshToken) await this.auth.endSessionByToken(dto.refreshToken);
    else if (principal) await this.auth.endSession(principal.sessionId);
  }

  @Get('csrf')
  @Public()
  @ApiOperation({ summary: 'A CSRF token for requests authenticated by the portal cookie' })
  @ApiOkResponse({ type: CsrfTokenResponse })
  async csrf(@Res({ passthrough: true }) reply: FastifyReply): Promise<CsrfTokenResponse> {
    return { csrfToken: await reply.generateCsrf() };
  }
}
