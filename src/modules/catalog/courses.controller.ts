import {
  Controller,
  Get,
  Inject,
  Param,
  ParseEnumPipe,
  ParseUUIDPipe,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CONTENT_LOCALE_ENUM } from '../../infrastructure/i18n/locales.js';
import { Buckets } from '../../infrastructure/storage/storage-keys.js';
import { StorageService } from '../../infrastructure/storage/storage.service.js';
import { ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { HttpCache } from '../../infrastructure/http/http-cache.interceptor.js';
import { Public } from '../../infrastructure/auth/auth.decorators.js';
import { CatalogErrorCode } from './catalog.errors.js';
import { CATALOG_ANSWER_MS, CourseCatalogService } from './course-catalog.service.js';
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
  constructor(
    @Inject(CourseCatalogService) private readonly catalog: CourseCatalogService,
    @Inject(StorageService) private readonly storage: StorageService,
  ) {}

  @Get('courses')
  @HttpCache(60, { keepMs: CATALOG_ANSWER_MS })
  @ApiOperation({
    summary: 'Published courses by learner group, language, topic and accent-insensitive search',
  })
  @ApiOkResponse({ type: CoursePageResponse })
  @ApiNotModifiedResponse({ description: 'If-None-Match matched the ETag' })
  list(@Query() query: CatalogQueryDto): Promise<CoursePageResponse> {
    return this.catalog.list(query);
  }

  @Get('courses/:idOrSlug')
  @HttpCache(60, { keepMs: CATALOG_ANSWER_MS })
  @ApiOperation({ summary: 'A published course with its lessons' })
  @ApiOkResponse({ type: CourseDetailResponse })
  @ApiNotModifiedResponse({ description: 'If-None-Match matched the ETag' })
  @ApiErrors({ 404: [CatalogErrorCode.CourseNotFound] })
  detail(@Param('idOrSlug') idOrSlug: string, @Query() query: LangQueryDto): Promise<CourseDetailResponse> {
    return this.catalog.detail(idOrSlug, query.lang);
  }

  @Get('lessons/:id')
  @HttpCache(300, { keepMs: CATALOG_ANSWER_MS })
  @ApiOperation({ summary: 'A lesson for learners: localized, never with answer keys' })
  @ApiOkResponse({ type: LessonDetailResponse })
  @ApiNotModifiedResponse({ description: 'If-None-Match matched the ETag' })
  @ApiErrors({ 404: [CatalogErrorCode.LessonNotFound] })
  lesson(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: LangQueryDto,
  ): Promise<LessonDetailResponse> {
    return this.catalog.lesson(id, query.lang);
  }

  @Get('lessons/:id/subtitles/:locale')
  @ApiOperation({ summary: 'WebVTT subtitles of a published video lesson' })
  @ApiProduces('text/vtt')
  @ApiOkResponse({ description: 'text/vtt', schema: { type: 'string' } })
  @ApiErrors({ 404: [CatalogErrorCode.LessonNotFound] })
  async subtitles(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('locale', new ParseEnumPipe(CONTENT_LOCALE_ENUM)) locale: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const key = await this.catalog.subtitleKey(id, locale);
    // Lessons of published versions never change, and neither do their subtitles.
    void reply.header('cache-control', 'public, max-age=31536000, immutable');
    return new StreamableFile(await this.storage.getStream(Buckets.media, key), {
      type: 'text/vtt; charset=utf-8',
    });
  }
}
