import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { pageMeta } from '../../infrastructure/http/pagination.js';
import { Public, Roles } from '../../infrastructure/auth/auth.decorators.js';
import {
  CreateLocalityDto,
  LocalityDetailResponse,
  LocalityPageResponse,
  LocalityQueryDto,
  LocalityResponse,
  UpdateLocalityDto,
} from './dto/locality.dto.js';
import { GeographyErrorCode as Code } from './geography.errors.js';
import { GeographyService } from './geography.service.js';
import { toLocalityResponse } from './geography.views.js';

@ApiTags('geography')
@Controller('api/v1/localities')
export class GeographyController {
  constructor(@Inject(GeographyService) private readonly geography: GeographyService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'List or search localities (province → commune/ward → village)' })
  @ApiOkResponse({ type: LocalityPageResponse })
  async list(@Query() query: LocalityQueryDto): Promise<LocalityPageResponse> {
    const { items, total } = await this.geography.search(query);
    return { items: items.map(toLocalityResponse), meta: pageMeta(query, total) };
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'One locality with its lineage (province down to it)' })
  @ApiOkResponse({ type: LocalityDetailResponse })
  @ApiErrors({ 404: [Code.NotFound] })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<LocalityDetailResponse> {
    const { locality, lineage, childCount } = await this.geography.getWithLineage(id);
    return {
      ...toLocalityResponse({ ...locality, childCount }),
      lineage: lineage.map((l) => toLocalityResponse(l)),
    };
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a locality (admin)' })
  @ApiCreatedResponse({ type: LocalityResponse })
  @ApiErrors({ 400: [Code.InvalidParent, Code.InvalidCode, Code.InvalidKind], 409: [Code.CodeTaken] })
  async create(@Body() dto: CreateLocalityDto): Promise<LocalityResponse> {
    return toLocalityResponse(await this.geography.create(dto));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Rename or recode a locality (admin)' })
  @ApiOkResponse({ type: LocalityResponse })
  @ApiErrors({
    400: [Code.InvalidCode, Code.InvalidKind],
    404: [Code.NotFound],
    409: [Code.CodeTaken, Code.CodeLocked],
  })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateLocalityDto,
  ): Promise<LocalityResponse> {
    return toLocalityResponse(await this.geography.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Delete an unused locality without children (admin)' })
  @ApiNoContentResponse()
  @ApiErrors({ 404: [Code.NotFound], 409: [Code.InUse] })
  async delete(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.geography.delete(id);
  }
}
