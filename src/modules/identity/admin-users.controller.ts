import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { Optional } from '../../infrastructure/http/input-rules.js';
import { PageQueryDto, pageMeta } from '../../infrastructure/http/pagination.js';
import { CurrentPrincipal, Roles } from '../../infrastructure/auth/auth.decorators.js';
import { SetRolesDto, UserPageResponse, UserResponse } from './dto/auth.dto.js';
import { IdentityErrorCode as Code } from './identity.errors.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { toUserResponse } from './identity.views.js';
import { UsersService } from './users.service.js';

class UserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Name (accent-insensitive), phone or email fragment' })
  @Optional()
  @IsString()
  @Length(1, 80)
  q?: string;
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
}
