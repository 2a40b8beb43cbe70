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
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { LangQueryDto } from '../catalog/dto/course.dto.js';
import { Authenticated, CurrentPrincipal, Roles } from '../identity/auth.decorators.js';
import { hasRole, type Principal } from '../identity/roles.js';
import { UsersService } from '../identity/users.service.js';
import { AmbassadorRegistryService } from './ambassador-registry.service.js';
import { ApplicationsService } from './applications.service.js';
import { programmeView } from './certification.views.js';
import {
  ApplicationQueueQueryDto,
  ApplyDto,
  CreateMentoringRecordDto,
  CreateProgrammeDto,
  DecisionDto,
  LocalityQueryDto,
  PhotoUploadDto,
  UpdateProgrammeDto,
} from './dto/certification.dto.js';
import { ApiJsonResponse } from './dto/json-response.js';
import { EligibilityService } from './eligibility.service.js';
import { IssuerKeysService } from './issuer-keys.service.js';
import { MentoringService } from './mentoring.service.js';
import { ProgrammesService } from './programmes.service.js';

/** Programme, mentoring evidence, eligibility, applications and their review, registry and coverage. */
@ApiTags('certification')
@Authenticated()
@Controller('api/v1/certification')
export class CertificationController {
  constructor(
    @Inject(ProgrammesService) private readonly programmes: ProgrammesService,
    @Inject(MentoringService) private readonly mentoring: MentoringService,
    @Inject(EligibilityService) private readonly eligibility: EligibilityService,
    @Inject(ApplicationsService) private readonly applications: ApplicationsService,
    @Inject(AmbassadorRegistryService) private readonly registry: AmbassadorRegistryService,
    @Inject(IssuerKeysService) private readonly keys: IssuerKeysService,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  @Get('programmes')
  @ApiOperation({ summary: 'Certification programmes (admins also see inactive ones)' })
  @ApiJsonResponse('Programmes')
  async listProgrammes(@CurrentPrincipal() who: Principal) {
    return (await this.programmes.list(hasRole(who, 'admin'))).map(programmeView);
  }

  @Get('programmes/:id')
  @ApiOperation({ summary: 'One programme: required courses, quiz average, households, validity' })
  @ApiJsonResponse('Programme')
  async programme(@Param('id', ParseUUIDPipe) id: string) {
    return programmeView(await this.programmes.get(id));
  }

  @Post('programmes')
  @Roles('admin')
  @ApiOperation({ summary: 'Define a programme (admins)' })
  @ApiCreatedResponse({ schema: { type: 'object' } })
  async createProgramme(@Body() dto: CreateProgrammeDto) {
    return programmeView(await this.programmes.create(dto));
  }

  @Patch('programmes/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a programme; decisions from now on use the new rules (admins)' })
  @ApiJsonResponse('Programme')
  async updateProgramme(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateProgrammeDto) {
    return programmeView(await this.programmes.update(id, dto));
  }

  @Get('programmes/:id/eligibility')
  @ApiOperation({ summary: 'My eligibility, item by item, in my language (or ?lang=)' })
  @ApiJsonResponse('Checklist')
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
  @ApiCreatedResponse({ schema: { type: 'object' } })
  createRecord(@Body() dto: CreateMentoringRecordDto, @CurrentPrincipal() who: Principal) {
    return this.mentoring.create(who.userId, dto);
  }

  @Get('mentoring-records')
  @ApiOperation({ summary: 'My mentoring records, newest first' })
  @ApiJsonResponse('Records')
  myRecords(@CurrentPrincipal() who: Principal) {
    return this.mentoring.recordsOf(who.userId);
  }

  @Post('mentoring-records/:id/photo')
  @HttpCode(200)
  @ApiOperation({ summary: "A new upload link for a record's photo" })
  @ApiJsonResponse('Presigned upload')
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
  @ApiJsonResponse('Record')
  confirmPhoto(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() who: Principal) {
    return this.mentoring.confirmPhoto(who.userId, id);
  }

  @Post('applications')
  @ApiOperation({ summary: 'Apply for a village (or, as a trainer, nominate a candidate); must be eligible' })
  @ApiCreatedResponse({ schema: { type: 'object' } })
  apply(@Body() dto: ApplyDto, @CurrentPrincipal() who: Principal) {
    return this.applications.apply(who, dto);
  }

  @Get('applications/mine')
  @ApiOperation({ summary: 'My applications' })
  @ApiJsonResponse('Applications')
  mine(@CurrentPrincipal() who: Principal) {
    return this.applications.mine(who);
  }

  @Get('applications')
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'The review queue of my locality, oldest first' })
  @ApiJsonResponse('A page of applications')
  queue(@Query() query: ApplicationQueueQueryDto, @CurrentPrincipal() who: Principal) {
    return this.applications.queue(who, query);
  }

  @Get('applications/:id')
  @ApiOperation({ summary: 'An application: checklist, mentoring evidence, audit trail, certificate' })
  @ApiJsonResponse('Application')
  application(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() who: Principal,
    @Query() query: LangQueryDto,
  ) {
    return this.applications.detail(who, id, query.lang?.split(','));
  }

  @Post('applications/:id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw an open application (candidate or nominating trainer)' })
  @ApiJsonResponse('Application')
  withdraw(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() who: Principal) {
    return this.applications.withdraw(who, id);
  }

  @Post('applications/:id/approve')
  @HttpCode(200)
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Approve with a reason; the certificate is issued once, in the background' })
  @ApiJsonResponse('Application')
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
  @ApiJsonResponse('Application')
  reject(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DecisionDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.applications.decide(who, id, 'rejected', dto.reason);
  }

  @Get('ambassadors')
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Active ambassadors (valid certificate) serving villages of a locality' })
  @ApiJsonResponse('A page of ambassadors')
  ambassadors(@Query() query: LocalityQueryDto, @CurrentPrincipal() who: Principal) {
    return this.registry.ambassadors(who, query.localityId, query.page, query.pageSize);
  }

  @Get('coverage')
  @Roles('coordinator', 'admin')
  @ApiOperation({ summary: 'Villages with an active ambassador ÷ all villages, by part, and those without' })
  @ApiJsonResponse('Coverage')
  coverage(@Query() query: LocalityQueryDto, @CurrentPrincipal() who: Principal) {
    return this.registry.coverage(who, query.localityId);
  }

  @Post('issuer-keys/rotate')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Sign with a new Ed25519 key from now on; old keys stay published' })
  @ApiJsonResponse('The new key id')
  async rotate() {
    return { kid: await this.keys.rotate() };
  }
}
