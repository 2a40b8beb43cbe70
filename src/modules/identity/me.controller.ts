import { Body, Controller, Get, HttpCode, Inject, Patch, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from './auth.decorators.js';
import { ChangePasswordDto, UpdateProfileDto, UserResponse } from './dto/auth.dto.js';
import type { Principal } from './roles.js';
import { toUserResponse } from './user.mapper.js';
import { UsersService } from './users.service.js';

@ApiTags('me')
@Authenticated()
@Controller('api/v1/me')
export class MeController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user and their learner profile' })
  @ApiOkResponse({ type: UserResponse })
  async get(@CurrentPrincipal() principal: Principal): Promise<UserResponse> {
    return toUserResponse(await this.users.get(principal.userId));
  }

  @Patch()
  @ApiOperation({ summary: 'Edit the learner profile: name, learner group, languages, village (not roles)' })
  @ApiOkResponse({ type: UserResponse })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: UpdateProfileDto,
  ): Promise<UserResponse> {
    return toUserResponse(await this.users.updateProfile(principal.userId, dto));
  }

  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change the password; other devices are signed out' })
  @ApiNoContentResponse()
  async changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    await this.users.changePassword(
      principal.userId,
      principal.sessionId,
      dto.currentPassword,
      dto.newPassword,
    );
  }
}
