import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../../infrastructure/http/api-docs.js';
import { CommonErrorCode } from '../../infrastructure/errors/domain-error.js';
import { StorageErrorCode } from '../../infrastructure/storage/storage.errors.js';
import { LangQueryDto } from '../catalog/dto/course.dto.js';
import { GeographyErrorCode } from '../geography/geography.errors.js';
import { Authenticated, CurrentPrincipal, Roles } from '../../infrastructure/auth/auth.decorators.js';
import { hasRole, type Principal } from '../../infrastructure/auth/roles.js';
import { UsersService } from '../identity/users.service.js';
import { ApplicationsService } from './applications.service.js';
import { CertificationErrorCode as Code } from './certification.errors.js';
import { programmeView } from './certification.views.js';
import {
  ApplicationQueueQueryDto,
  ApplyDto,
  CreateMentoringRecordDto,
  CreateProgrammeDto,
  DecisionDto,
  PhotoUploadDto,
  UpdateProgrammeDto,
} from './dto/certification.dto.js';
import {
  ApplicationDecisionResponse,
  ApplicationDetailResponse,
  ApplicationPageResponse,
  ApplicationResponse,
  CreatedMentoringRecordResponse,
  EligibilityChecklistResponse,
  IssuerKeyRotationResponse,
  MentoringRecordResponse,
  ProgrammeResponse,
} from './dto/certification-responses.dto.js';
import { PresignedUploadResponse } from '../media/dto/media.dto.js';
import { EligibilityService } from './eligibility.service.js';
import { CredentialIssuerService } from './credential-issuer.service.js';
import { MentoringService } from './mentoring.service.js';
import { ProgrammesService } from './programmes.service.js';

/** Coordinators act inside their area: elsewhere 403, or 404 where the thing is not theirs to see. */
const OUTSIDE_AREA = [CommonErrorCode.Forbidden, GeographyErrorCode.OutsideArea];

/** Programme, mentoring evidence, eligibility, applications and their review, issuer keys. */
@ApiTags('certification')
@Authenticated()
@Controller('api/v1/certification')
export class CertificationController {
  constructor(
    @Inject(ProgrammesService) private readonly programmes: ProgrammesService,
    @Inject(MentoringService) private readonly mentoring: MentoringService,
    @Inject(EligibilityService) private readonly eligibility: EligibilityService,
    @Inject(ApplicationsService) private readonly applications: ApplicationsService,
    @Inject(CredentialIssuerService) private readonly issuer: CredentialIssuerService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  @Get('programmes')
  @ApiOperation({ summary: 'Certification programmes (admins also see inactive ones)' })
  @ApiOkResponse({ type: [ProgrammeResponse] })
  async listProgrammes(@CurrentPrincipal() who: Principal) {
    return (await this.programmes.list(hasRole(who, 'admin'))).map(programmeView);
  }

  @Get('programmes/:id')
  @ApiOperation({ summary: 'One programme: required courses, quiz average, households, validity' })
  @ApiOkResponse({ type: ProgrammeResponse })
  @ApiErrors({ 404: [Code.ProgrammeNotFound] })
  async programme(@Param('id', ParseUUIDPipe) id: string) {
    return programmeView(await this.programmes.get(id));
  }

  @Post('programmes')
  @Roles('admin')
  @ApiOperation({ summary: 'Define a programme (admins)' })
  @ApiCreatedResponse({ type: ProgrammeResponse })
  @ApiErrors({ 400: [Code.ProgrammeInvalid], 409: [Code.ProgrammeCodeTaken] })
  async createProgramme(@Body() dto: CreateProgrammeDto) {
    return programmeView(await this.programmes.create(dto));
  }

  @Patch('programmes/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a programme; decisions from now on use the new rules (admins)' })
  @ApiOkResponse({ type: ProgrammeResponse })
  @ApiErrors({ 400: [Code.ProgrammeInvalid], 404: [Code.ProgrammeNotFound] })
  async updateProgramme(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateProgrammeDto) {
    return programmeView(await this.programmes.update(id, dto));
  }

  @Get('programmes/:id/eligibility')
  @ApiOperation({ summary: 'My eligibility, item by item, in my language (or ?lang=)' })
  @ApiOkResponse({ type: EligibilityChecklistResponse })
  @ApiErrors({ 404: [Code.ProgrammeNotFound] })
  async myEligibility(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() who: Principal,
    @Query() query: LangQueryDto,
  ) {
    const [programme, me] = await Promise.all([this.programmes.get(id), this.users.get(who.userId)]);
    const snapshot = await this.eligibility.assess(who.userId, programme, me.villageId);
    return this.eligibility.present(
      snapshot,
      programme.id,
      query.lang ? query.lang.split(',') : me.languages,
    );
  }

  @Post('mentoring-records')
  @ApiOperation({ summary: 'Log a household I helped ("1 kèm 5"); declare a photo to get an upload link' })
  @ApiCreatedResponse({ type: CreatedMentoringRecordResponse })
  @ApiErrors({
    400: [Code.InvalidVillage],
    413: [StorageErrorCode.UploadTooLarge],
    415: [StorageErrorCode.UploadTypeMismatch],
  })
  createRecord(@Body() dto: CreateMentoringRecordDto, @CurrentPrincipal() who: Principal) {
    return this.mentoring.create(who.userId, dto);
  }

  @Get('mentoring-records')
  @ApiOperation({ summary: 'My mentoring records, newest first' })
  @ApiOkResponse({ type: [MentoringRecordResponse] })
  myRecords(@CurrentPrincipal() who: Principal) {
    return this.mentoring.recordsOf(who.userId);
  }

  @Post('mentoring-records/:id/photo')
  @HttpCode(200)
  @ApiOperation({ summary: "A new upload link for a record's photo" })
  @ApiOkResponse({ type: PresignedUploadResponse })
  @ApiErrors({
    404: [Code.RecordNotFound],
    409: [Code.NoPhotoExpected],
    413: [StorageErrorCode.UploadTooLarge],
    415: [StorageErrorCode.UploadTypeMismatch],
  })
  photoUpload(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PhotoUploadDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.mentoring.photoUpload(who.userId, id, dto);
  }

  @Post('mentoring-records/:id/photo/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the photo arrived (checked: size, type, first bytes)' })
  @ApiOkResponse({ type: MentoringRecordResponse })
  @ApiErrors({
    404: [Code.RecordNotFound],
    409: [Code.NoPhotoExpected, StorageErrorCode.UploadMissing],
    413: [StorageErrorCode.UploadTooLarge],
    415: [StorageErrorCode.UploadTypeMismatch],
  })
  confirmPhoto(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() who: Principal) {
    return this.mentoring.confirmPhoto(who.userId, id);
  }

  @Post('applications')
  @ApiOperation({ summary: 'Apply for a village (or, as a trainer, nominate a candidate); must be eligible' })
  @ApiCreatedResponse({ type: ApplicationResponse })
  @ApiErrors({
    400: [Code.InvalidVillage],
    403: [CommonErrorCode.Forbidden],
    404: [Code.ProgrammeNotFound, Code.CandidateNotFound],
    409: [Code.ProgrammeInactive, Code.AlreadyCertified, Code.NotEligible, Code.AlreadyApplied],
  })
  apply(@Body() dto: ApplyDto, @CurrentPrincipal() who: Principal) {
    return this.applications.apply(who, dto);
  }

  @Get('applications/mine')
  @ApiOperation({ summary: 'My applications' })
  @ApiOkResponse({ type: [ApplicationResponse] })
  mine(@CurrentPrincipal() who: Principal) {
    return this.applications.mine(who);
  }

  @Get('applications')
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'The review queue of my locality, oldest first' })
  @ApiOkResponse({ type: ApplicationPageResponse })
  @ApiErrors({ 403: OUTSIDE_AREA, 404: [GeographyErrorCode.NotFound] })
  queue(@Query() query: ApplicationQueueQueryDto, @CurrentPrincipal() who: Principal) {
    return this.applications.queue(who, query);
  }

  @Get('applications/:id')
  @ApiOperation({
    summary:
      "An application: checklist (in the reader's language, or ?lang=), evidence, audit trail, certificate",
  })
  @ApiOkResponse({ type: ApplicationDetailResponse })
  @ApiErrors({ 403: OUTSIDE_AREA, 404: [Code.ApplicationNotFound] })
  async application(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() who: Principal,
    @Query() query: LangQueryDto,
  ) {
    return this.applications.detail(who, id, await this.readerLanguages(who, query));
  }

  @Post('applications/:id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw an open application (candidate or nominating trainer)' })
  @ApiOkResponse({ type: ApplicationDetailResponse })
  @ApiErrors({ 403: OUTSIDE_AREA, 404: [Code.ApplicationNotFound], 409: [Code.AlreadyDecided] })
  async withdraw(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() who: Principal) {
    return this.applications.withdraw(who, id, await this.readerLanguages(who, {}));
  }

  @Post('applications/:id/approve')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Approve with a reason; the certificate is issued once, in the background' })
  @ApiOkResponse({ type: ApplicationDecisionResponse })
  @ApiErrors({
    403: [...OUTSIDE_AREA, Code.OwnApplication],
    404: [Code.ApplicationNotFound],
    409: [Code.AlreadyDecided, Code.NotEligible],
  })
  approve(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DecisionDto,
    @CurrentPrincipal() who: Principal,
    @Req() req: FastifyRequest,
  ) {
    return this.applications.decide(who, id, 'approved', dto.reason, String(req.id));
  }

  @Post('applications/:id/reject')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Reject with a reason' })
  @ApiOkResponse({ type: ApplicationDecisionResponse })
  @ApiErrors({
    403: [...OUTSIDE_AREA, Code.OwnApplication],
    404: [Code.ApplicationNotFound],
    409: [Code.AlreadyDecided],
  })
  reject(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DecisionDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.applications.decide(who, id, 'rejected', dto.reason);
  }

  @Post('issuer-keys/rotate')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Sign with a new Ed25519 key from now on; old keys stay published' })
  @ApiOkResponse({ type: IssuerKeyRotationResponse })
  async rotate() {
    return { kid: await this.issuer.rotate() };
  }

  /** Texts follow the reader (like every route): `?lang=`, else the reader's profile languages. */
  private async readerLanguages(who: Principal, query: { lang?: string }): Promise<string[]> {
    return query.lang ? query.lang.split(',') : (await this.users.get(who.userId)).languages;
  }
}
