import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { normalizeFallbackChain, pickLocalized } from '../../infrastructure/i18n/locales.js';
import { CurrentPrincipal, Public, Roles } from '../../infrastructure/auth/auth.decorators.js';
import { hasRole, type Principal } from '../../infrastructure/auth/roles.js';
import { CatalogErrorCode } from './catalog.errors.js';
import {
  CreateLearnerGroupDto,
  LearnerGroupQueryDto,
  LearnerGroupResponse,
  UpdateLearnerGroupDto,
} from './dto/learner-group.dto.js';
import type { LearnerGroupEntity } from './entities/learner-group.entity.js';
import { LearnerGroupsService } from './learner-groups.service.js';

function toResponse(g: LearnerGroupEntity, chain: string[]): LearnerGroupResponse {
  return {
    id: g.id,
    code: g.code,
    name: pickLocalized(g.names, chain)!,
    description: pickLocalized(g.descriptions, chain),
    names: g.names as Record<string, string>,
    descriptions: g.descriptions as Record<string, string>,
    sortOrder: g.sortOrder,
    archived: !!g.archivedAt,
  };
}

@ApiTags('catalog')
@Controller('api/v1/learner-groups')
export class LearnerGroupsController {
  constructor(@Inject(LearnerGroupsService) private readonly groups: LearnerGroupsService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Learner groups (elderly, pupils, officials, small sellers, …)' })
  @ApiOkResponse({ type: [LearnerGroupResponse] })
  async list(
    @Query() query: LearnerGroupQueryDto,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<LearnerGroupResponse[]> {
    const includeArchived = query.includeArchived === 'true' && hasRole(principal, 'admin');
    const chain = normalizeFallbackChain(query.lang ? [query.lang] : []);
    return (await this.groups.list(includeArchived)).map((g) => toResponse(g, chain));
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'One learner group' })
  @ApiOkResponse({ type: LearnerGroupResponse })
  @ApiErrors({ 404: [CatalogErrorCode.LearnerGroupNotFound] })
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: LearnerGroupQueryDto,
  ): Promise<LearnerGroupResponse> {
    return toResponse(await this.groups.get(id), normalizeFallbackChain(query.lang ? [query.lang] : []));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a learner group (admin)' })
  @ApiCreatedResponse({ type: LearnerGroupResponse })
  @ApiErrors({ 409: [CatalogErrorCode.LearnerGroupCodeTaken] })
  async create(@Body() dto: CreateLearnerGroupDto): Promise<LearnerGroupResponse> {
    return toResponse(await this.groups.create(dto), ['vi']);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Edit, archive or restore a learner group (admin)' })
  @ApiOkResponse({ type: LearnerGroupResponse })
  @ApiErrors({ 404: [CatalogErrorCode.LearnerGroupNotFound] })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateLearnerGroupDto,
  ): Promise<LearnerGroupResponse> {
    return toResponse(await this.groups.update(id, dto), ['vi']);
  }
}
