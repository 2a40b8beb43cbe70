import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseEnumPipe,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { Optional } from '../../infrastructure/http/input-rules.js';
import { PageQueryDto, pageMeta } from '../../infrastructure/http/pagination.js';
import { CurrentPrincipal, Roles } from '../../infrastructure/auth/auth.decorators.js';
import { AppConfig } from '../../infrastructure/config/app-config.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { GeographyErrorCode } from '../geography/geography.errors.js';
import {
  CreateAccountDto,
  InvitedAccountResponse,
  RoleGrantDto,
  SetRolesDto,
  UserPageResponse,
  UserResponse,
} from './dto/auth.dto.js';
import type { UserEntity } from './entities/user.entity.js';
import { InvitationsService } from './invitations.service.js';
import { IdentityErrorCode as Code } from './identity.errors.js';
import { ROLES, type Principal, type Role } from '../../infrastructure/auth/roles.js';
import { toUserResponse } from './identity.views.js';
import { UsersService } from './users.service.js';

class UserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Name (accent-insensitive), phone or email fragment' })
  @Optional()
  @IsString()
  @Length(1, 80)
  q?: string;
}

class RevokeRoleQueryDto {
  @ApiPropertyOptional({ description: 'For a coordinator role: the locality it covers' })
  @Optional()
  @IsUUID()
  localityId?: string;
}

@ApiTags('admin')
@Roles('admin')
@Controller('api/v1/admin/users')
export class AdminUsersController {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(InvitationsService) private readonly invitations: InvitationsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Find users (admin), with their roles, the places they cover and live in' })
  @ApiOkResponse({ type: UserPageResponse })
  async list(@Query() query: UserQueryDto): Promise<UserPageResponse> {
    const { items, total } = await this.users.search(query.q, query.page, query.pageSize);
    const places = await this.users.placeNames(items);
    return { items: items.map((u) => toUserResponse(u, places)), meta: pageMeta(query, total) };
  }

  @Post()
  @Roles('admin', 'coordinator')
  @ApiOperation({
    summary:
      'Make an account and its one-time invitation code. Admins: any roles; coordinators: learner accounts of a village in their area',
  })
  @ApiCreatedResponse({ type: InvitedAccountResponse })
  @ApiErrors({
    400: [
      Code.InvalidPhone,
      Code.IdentifierRequired,
      Code.InvalidRoleGrant,
      Code.InvalidVillage,
      Code.UnknownLearnerGroup,
    ],
    403: [CommonErrorCode.Forbidden, GeographyErrorCode.OutsideArea],
    409: [Code.AccountExists],
  })
  async create(
    @CurrentPrincipal() who: Principal,
    @Body() dto: CreateAccountDto,
  ): Promise<InvitedAccountResponse> {
    return this.invited(await this.invitations.invite(who, dto));
  }

  @Post(':id/invitation')
  @HttpCode(200)
  @Roles('admin', 'coordinator')
  @ApiOperation({
    summary: 'A new invitation code for an account not accepted yet; earlier codes stop working',
  })
  @ApiOkResponse({ type: InvitedAccountResponse })
  @ApiErrors({
    403: [CommonErrorCode.Forbidden, GeographyErrorCode.OutsideArea],
    404: [Code.UserNotFound],
    409: [Code.AlreadyActivated],
  })
  async reinvite(
    @CurrentPrincipal() who: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<InvitedAccountResponse> {
    return this.invited(await this.invitations.reissue(who, id));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (admin), with their roles and places' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors({ 404: [Code.UserNotFound] })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<UserResponse> {
    return this.view(await this.users.get(id));
  }

  @Put(':id/roles')
  @ApiOperation({ summary: "Replace a user's roles (admin only); coordinators are scoped to a locality" })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors({ 400: [Code.InvalidRoleGrant], 404: [Code.UserNotFound], 409: [Code.LastAdmin] })
  async setRoles(
    @CurrentPrincipal() admin: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SetRolesDto,
  ): Promise<UserResponse> {
    return this.view(await this.users.setRoles(admin.userId, id, dto.roles));
  }

  @Post(':id/roles')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Grant one role (admin only); the others stay. Granting one already held changes nothing',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors({ 400: [Code.InvalidRoleGrant], 404: [Code.UserNotFound] })
  async grantRole(
    @CurrentPrincipal() admin: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RoleGrantDto,
  ): Promise<UserResponse> {
    return this.view(await this.users.grantRole(admin.userId, id, dto));
  }

  @Delete(':id/roles/:role')
  @ApiOperation({ summary: "Remove one role (admin only); a coordinator's names its locality" })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors({ 404: [Code.UserNotFound, Code.RoleNotHeld], 409: [Code.LastAdmin] })
  async revokeRole(
    @CurrentPrincipal() admin: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('role', new ParseEnumPipe(Object.fromEntries(ROLES.map((r) => [r, r])))) role: Role,
    @Query() query: RevokeRoleQueryDto,
  ): Promise<UserResponse> {
    return this.view(await this.users.revokeRole(admin.userId, id, { role, localityId: query.localityId }));
  }

  private async view(user: UserEntity): Promise<UserResponse> {
    return toUserResponse(user, await this.users.placeNames([user]));
  }

  private async invited(i: {
    user: UserEntity;
    code: string;
    expiresAt: Date;
  }): Promise<InvitedAccountResponse> {
    return {
      user: await this.view(i.user),
      invitation: {
        code: i.code,
        expiresAt: i.expiresAt.toISOString(),
        acceptUrl: `${this.config.publicBaseUrl}/invitation`,
      },
    };
  }
}
