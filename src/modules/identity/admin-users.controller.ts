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
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { Optional } from '../../infrastructure/http/input-rules.js';
import { PageQueryDto, pageMeta } from '../../infrastructure/http/pagination.js';
import { CurrentPrincipal, Roles } from '../../infrastructure/auth/auth.decorators.js';
import { RoleGrantDto, SetRolesDto, UserPageResponse, UserResponse } from './dto/auth.dto.js';
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
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Find users (admin)' })
  @ApiOkResponse({ type: UserPageResponse })
  async list(@Query() query: UserQueryDto): Promise<UserPageResponse> {
    const { items, total } = await this.users.search(query.q, query.page, query.pageSize);
    return { items: items.map(toUserResponse), meta: pageMeta(query, total) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (admin)' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors({ 404: [Code.UserNotFound] })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<UserResponse> {
    return toUserResponse(await this.users.get(id));
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
    return toUserResponse(await this.users.setRoles(admin.userId, id, dto.roles));
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
    return toUserResponse(await this.users.grantRole(admin.userId, id, dto));
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
    return toUserResponse(
      await this.users.revokeRole(admin.userId, id, { role, localityId: query.localityId }),
    );
  }
}
