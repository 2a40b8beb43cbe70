import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HttpCache } from '../../infrastructure/http/http-cache.interceptor.js';
import { Public } from '../identity/auth.decorators.js';
import { CourseCatalogService } from './course-catalog.service.js';
import {
  CatalogQueryDto,
  CourseDetailResponse,
  CoursePageResponse,
  LangQueryDto,
  LessonDetailResponse,
} from './dto/course.dto.js';

@ApiTags('catalog')
@Public()
@Controller('api/v1')
export class CoursesController {
  constructor(@Inject(CourseCatalogService) private readonly catalog: CourseCatalogService) {}

  @Get('courses')
  @HttpCache(60)
  @ApiOperation({
    summary: 'Published courses by learner group, language, topic and accent-insensitive search',
  })
  @ApiOkResponse({ type: CoursePageResponse })
  @ApiNotModifiedResponse({ description: 'If-None-Match matched the ETag' })
  list(@Query() query: CatalogQueryDto): Promise<CoursePageResponse> {
    return this.catalog.list(query);
  }

  @Get('courses/:idOrSlug')
  @HttpCache(60)
  @ApiOperation({ summary: 'A published course with its lessons' })
  @ApiOkResponse({ type: CourseDetailResponse })
  @ApiNotModifiedResponse({ description: 'If-None-Match matched the ETag' })
  detail(@Param('idOrSlug') idOrSlug: string, @Query() query: LangQueryDto): Promise<CourseDetailResponse> {
    return this.catalog.detail(idOrSlug, query.lang);
  }

  @Get('lessons/:id')
  @HttpCache(300)
  @ApiOperation({ summary: 'A lesson for learners: localized, never with answer keys' })
  @ApiOkResponse({ type: LessonDetailResponse })
  @ApiNotModifiedResponse({ description: 'If-None-Match matched the ETag' })
  lesson(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: LangQueryDto,
  ): Promise<LessonDetailResponse> {
    return this.catalog.lesson(id, query.lang);
  }
}
