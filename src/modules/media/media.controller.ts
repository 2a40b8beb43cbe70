import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { StorageErrorCode } from '../../infrastructure/storage/storage.errors.js';
import { PageQueryDto, pageMeta } from '../../infrastructure/http/pagination.js';
import { CurrentPrincipal, Roles } from '../../infrastructure/auth/auth.decorators.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { MediaPageResponse, MediaResponse, RequestUploadDto, UploadIntentResponse } from './dto/media.dto.js';
import type { MediaAssetEntity } from './entities/media-asset.entity.js';
import { pictureVariants, playableVideo, voiceFile } from './media.views.js';
import { MediaErrorCode } from './media.errors.js';
import { MediaService } from './media.service.js';

function mediaResponse(asset: MediaAssetEntity): MediaResponse {
  return {
    ...playableVideo(asset),
    kind: asset.kind,
    pictures: pictureVariants(asset),
    voice: voiceFile(asset),
    fileName: asset.fileName,
    contentType: asset.contentType,
    bytes: Number(asset.sourceBytes ?? asset.declaredBytes),
    width: asset.width,
    height: asset.height,
    failure: asset.failure,
    createdAt: asset.createdAt.toISOString(),
    readyAt: asset.readyAt ? asset.readyAt.toISOString() : null,
  };
}

/**
 * Trainers' videos, pictures and voice recordings: ask for an upload, PUT the file straight to storage, confirm,
 * then follow the processing status. Only the uploader (or an admin) sees an asset here.
 */
@ApiTags('media')
@Roles('trainer', 'admin')
@Controller('api/v1/media')
export class MediaController {
  constructor(@Inject(MediaService) private readonly media: MediaService) {}

  @Post('uploads')
  @ApiOperation({
    summary:
      'Start a video, picture or voice recording upload: returns a presigned PUT for exactly this file (type and size are signed)',
  })
  @ApiCreatedResponse({ type: UploadIntentResponse })
  @ApiErrors({ 413: [StorageErrorCode.UploadTooLarge], 415: [StorageErrorCode.UploadTypeMismatch] })
  async requestUpload(
    @Body() dto: RequestUploadDto,
    @CurrentPrincipal() who: Principal,
  ): Promise<UploadIntentResponse> {
    const { asset, upload } = await this.media.requestUpload(dto, who.userId);
    return { media: mediaResponse(asset), upload };
  }

  @Post(':id/confirm')
  @HttpCode(202)
  @ApiOperation({ summary: 'The PUT is done: check the file in storage and queue processing (idempotent)' })
  @ApiAcceptedResponse({ type: MediaResponse })
  @ApiErrors({
    404: [MediaErrorCode.NotFound],
    409: [StorageErrorCode.UploadMissing],
    413: [StorageErrorCode.UploadTooLarge],
    415: [StorageErrorCode.UploadTypeMismatch],
  })
  async confirm(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() who: Principal,
    @Req() req: FastifyRequest,
  ): Promise<MediaResponse> {
    return mediaResponse(await this.media.confirmUpload(id, who, String(req.id)));
  }

  @Post(':id/reprocess')
  @HttpCode(202)
  @ApiOperation({ summary: 'Process a ready or failed video again from its kept original' })
  @ApiAcceptedResponse({ type: MediaResponse })
  @ApiErrors({ 404: [MediaErrorCode.NotFound], 409: [MediaErrorCode.CannotReprocess] })
  async reprocess(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() who: Principal,
    @Req() req: FastifyRequest,
  ): Promise<MediaResponse> {
    return mediaResponse(await this.media.reprocess(id, who, String(req.id)));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status, renditions with sizes, failure reason' })
  @ApiOkResponse({ type: MediaResponse })
  @ApiErrors({ 404: [MediaErrorCode.NotFound] })
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() who: Principal,
  ): Promise<MediaResponse> {
    return mediaResponse(await this.media.ownAsset(id, who));
  }

  @Get()
  @ApiOperation({ summary: 'My videos, newest first (admins: all)' })
  @ApiOkResponse({ type: MediaPageResponse })
  async list(@Query() query: PageQueryDto, @CurrentPrincipal() who: Principal): Promise<MediaPageResponse> {
    const [items, total] = await this.media.listMine(who, query.page, query.pageSize);
    return { items: items.map(mediaResponse), meta: pageMeta(query, total) };
  }
}
