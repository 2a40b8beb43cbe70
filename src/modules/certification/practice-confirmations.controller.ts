import { Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../../infrastructure/auth/auth.decorators.js';
import type { Principal } from '../../infrastructure/auth/roles.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { StorageErrorCode } from '../../infrastructure/storage/storage.errors.js';
import { IdentityErrorCode } from '../identity/identity.errors.js';
import { CertificationErrorCode as Code } from './certification.errors.js';
import {
  ConfirmPracticeDto,
  PendingPracticePage,
  PendingPracticeQueryDto,
  PracticeConfirmedResponse,
} from './dto/practice.dto.js';
import { PracticeConfirmationsService } from './practice-confirmations.service.js';

/** Practice tasks confirmed in person by someone of the learner's village. */
@ApiTags('certification')
@Authenticated()
@Controller('api/v1/practice-confirmations')
export class PracticeConfirmationsController {
  constructor(
    @Inject(PracticeConfirmationsService) private readonly practice: PracticeConfirmationsService,
  ) {}

  @Get('pending')
  @ApiOperation({
    summary:
      'Practice tasks waiting for confirmation in a village you confirm in (ambassadors: your villages by default)',
  })
  @ApiOkResponse({ type: PendingPracticePage })
  @ApiErrors({ 400: [CommonErrorCode.ValidationFailed], 403: [Code.PracticeNotYourVillage] })
  pending(@CurrentPrincipal() who: Principal, @Query() query: PendingPracticeQueryDto) {
    return this.practice.pending(who, query);
  }

  @Post()
  @ApiOperation({
    summary:
      'Confirm that a learner of your village did a practice task, seen in person (ambassador of the village, its coordinators, a trainer living there, an admin); completes the lesson',
  })
  @ApiCreatedResponse({ type: PracticeConfirmedResponse })
  @ApiErrors({
    403: [Code.PracticeSelf, Code.PracticeNotYourVillage],
    404: [IdentityErrorCode.UserNotFound, Code.PracticeLessonNotFound],
    413: [StorageErrorCode.UploadTooLarge],
    415: [StorageErrorCode.UploadTypeMismatch],
  })
  confirm(@CurrentPrincipal() who: Principal, @Body() dto: ConfirmPracticeDto) {
    return this.practice.confirm(who, dto);
  }
}
