import { Body, Controller, Get, HttpCode, Inject, Patch, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { clientContext } from './auth.controller.js';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { Authenticated, CurrentPrincipal } from '../../infrastructure/auth/auth.decorators.js';
import { AuthService } from './auth.service.js';
import { ChangePasswordDto, UpdateProfileDto, UserResponse } from './dto/auth.dto.js';
import { IdentityErrorCode as Code } from './identity.errors.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { toUserResponse } from './identity.views.js';
import { UsersService } from './users.service.js';
import { BODY_LIMITS, BodyLimit } from '../../infrastructure/http/body-intake.js';

@ApiTags('me')
@Authenticated()
@Controller('api/v1/me')
export class MeController {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user and their learner profile' })
  @ApiOkResponse({ type: UserResponse })
  async get(@CurrentPrincipal() principal: Principal): Promise<UserResponse> {
    return toUserResponse(await this.users.get(principal.userId));
  }

  @Patch()
  @ApiOperation({ summary: 'Edit the learner profile: name, learner group, languages, village (not roles)' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors({ 400: [Code.UnknownLearnerGroup, Code.InvalidVillage] })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: UpdateProfileDto,
  ): Promise<UserResponse> {
    return toUserResponse(await this.users.updateProfile(principal.userId, dto));
  }

  @Post('password')
  @HttpCode(204)
  @BodyLimit(BODY_LIMITS.auth)
  @ApiOperation({ summary: 'Change the password; other devices are signed out' })
  @ApiNoContentResponse()
  @ApiErrors({
    400: [Code.WeakPassword],
    401: [Code.InvalidCredentials],
    429: [Code.LoginRateLimited],
  })
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ChangePasswordDto,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.auth.changePassword(principal, dto.currentPassword, dto.newPassword, clientContext(req));
  }
}
