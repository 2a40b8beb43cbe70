import { DomainError } from '../../src/infrastructure/errors/domain-error.js';
import { CreateCourseDto, CreateLessonDto } from '../../src/modules/authoring/dto/authoring.dto.js';
import { AuthoringService } from '../../src/modules/authoring/authoring.service.js';
import { LearnerGroupsService } from '../../src/modules/catalog/learner-groups.service.js';
import {
  CreateMentoringRecordDto,
  CreateProgrammeDto,
} from '../../src/modules/certification/dto/certification.dto.js';
import { MentoringService } from '../../src/modules/certification/mentoring.service.js';
import { ProgrammesService } from '../../src/modules/certification/programmes.service.js';
import { CreateLocalityDto } from '../../src/modules/geography/dto/locality.dto.js';
import { GeographyErrorCode } from '../../src/modules/geography/geography.errors.js';
import { GeographyService } from '../../src/modules/geography/geography.service.js';
import { AuthService } from '../../src/modules/identity/auth.service.js';
import { LoginDto, RegisterDto, SetRolesDto } from '../../src/modules/identity/dto/auth.dto.js';
import { hasRole, type Principal, type Role } from '../../src/infrastructure/auth/roles.js';
import { UsersService } from '../../src/modules/identity/users.service.js';
import { EnrolDto } from '../../src/modules/learning/dto/progress.dto.js';
import { EnrolmentService } from '../../src/modules/learning/enrolment.service.js';
import { ProgressService } from '../../src/modules/learning/progress.service.js';
import { RequestUploadDto } from '../../src/modules/media/dto/media.dto.js';
import { MediaService } from '../../src/modules/media/media.service.js';
import { input, type ServiceContext } from '../support/service-context.js';
import type { PlatformDriver } from './driver.js';

/**
 * Service tests sign up and sign in from an address of their own (TEST-NET-1), so their
 * registrations do not count against the limits the e2e tests check for 127.0.0.1.
 */
export const SERVICE_TEST_CLIENT = { ip: '192.0.2.10', userAgent: 'banso-service-tests' };

/**
 * The factories in-process: each step calls the service method the matching controller calls,
 * with the body validated into the same DTO (see `input`), and the caller's access token turned
 * into a principal the way the auth guard does. Jobs go to the real queue; the worker process that
 * `npm test` runs does them (video processing, certificate issuance).
 */
export function serviceDriver(ctx: ServiceContext): PlatformDriver {
  const auth = ctx.get(AuthService);
  let adminToken: string | undefined;
  /** The principal behind the token, refused like the route's `@Roles(...)` would refuse it. */
  const as = async (token: string, ...roles: Role[]): Promise<Principal> => {
    const who = await ctx.principal({ accessToken: token });
    if (roles.length > 0 && !roles.some((r) => hasRole(who, r))) {
      throw new Error(`this step needs the ${roles.join(' or ')} role`);
    }
    return who;
  };

  return {
    async register(body) {
      const session = await auth.register(await input(RegisterDto, body), SERVICE_TEST_CLIENT);
      const { token } = await auth.accessTokenFor(session);
      return { id: session.user.id, accessToken: token, refreshToken: session.sessionToken };
    },

    async adminAccessToken() {
      if (adminToken) return adminToken;
      const admin = ctx.config.bootstrapAdmin;
      if (!admin?.phone) throw new Error('the test environment has no bootstrap admin (ADMIN_PHONE)');
      const dto = await input(LoginDto, { identifier: admin.phone, password: admin.password });
      const session = await auth.login(dto.identifier, dto.password, 'api', SERVICE_TEST_CLIENT);
      adminToken = (await auth.accessTokenFor(session)).token;
      return adminToken;
    },

    async setRoles(token, userId, roles) {
      const admin = await as(token, 'admin');
      const dto = await input(SetRolesDto, { roles });
      await ctx.get(UsersService).setRoles(admin.userId, userId, dto.roles);
    },

    async learnerGroups() {
      return ctx.get(LearnerGroupsService).list();
    },

    async createLocality(token, body) {
      await as(token, 'admin');
      try {
        return (await ctx.get(GeographyService).create(await input(CreateLocalityDto, body))).id;
      } catch (e) {
        if (e instanceof DomainError && e.code === GeographyErrorCode.CodeTaken) return null;
        throw e;
      }
    },

    async createCourse(token, body) {
      const who = await as(token, 'trainer', 'admin');
      const { course } = await ctx
        .get(AuthoringService)
        .createCourse(await input(CreateCourseDto, body), who);
      return course.id;
    },

    async addLesson(token, courseId, lesson) {
      const who = await as(token, 'trainer', 'admin');
      await ctx.get(AuthoringService).addLesson(courseId, await input(CreateLessonDto, lesson), who);
    },

    async submit(token, courseId) {
      await ctx.get(AuthoringService).submit(courseId, await as(token, 'trainer', 'admin'));
    },

    async publish(token, courseId) {
      await ctx.get(AuthoringService).publish(courseId, await as(token, 'trainer', 'admin'));
    },

    async lessons(token, courseId, version) {
      const who = await as(token, 'trainer', 'admin');
      return (await ctx.get(AuthoringService).readableVersion(courseId, version, who)).lessons;
    },

    async uploadVideo(token, video) {
      const who = await as(token, 'trainer', 'admin');
      const media = ctx.get(MediaService);
      const request = await input(RequestUploadDto, {
        fileName: 'bai-hoc.mp4',
        contentType: 'video/mp4',
        bytes: video.length,
      });
      const { asset, upload } = await media.requestUpload(request, who.userId);
      const put = await fetch(upload.url, {
        method: 'PUT',
        headers: upload.headers,
        body: new Uint8Array(video),
      });
      if (!put.ok) throw new Error(`PUT to storage failed: ${put.status} ${await put.text()}`);
      await media.confirmUpload(asset.id, who);
      return asset.id;
    },

    async processedVideo(token, mediaId) {
      const who = await as(token);
      const deadline = Date.now() + 120_000;
      for (;;) {
        const asset = await ctx.get(MediaService).ownAsset(mediaId, who);
        if (asset.status === 'ready' || asset.status === 'failed') {
          return {
            status: asset.status,
            durationSeconds: asset.durationSeconds === null ? null : Number(asset.durationSeconds),
            failure: asset.failure,
          };
        }
        if (Date.now() > deadline) throw new Error(`media ${mediaId} still ${asset.status} after 120 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },

    async attachVideo(token, courseId, lessonKey, locale, mediaId) {
      const who = await as(token, 'trainer', 'admin');
      await ctx.get(AuthoringService).attachMedia(courseId, lessonKey, locale, mediaId, who);
    },

    async enrol(token, courseId) {
      const who = await as(token);
      await ctx.get(EnrolmentService).enrolSelf(who.userId, (await input(EnrolDto, { courseId })).courseId);
    },

    async sync(token, events) {
      const who = await as(token);
      const { completions, receipts } = await ctx.get(ProgressService).sync(who.userId, events);
      return { completedCourses: completions.length, receipts };
    },

    async createProgramme(token, body) {
      await as(token, 'admin');
      return (await ctx.get(ProgrammesService).create(await input(CreateProgrammeDto, body))).id;
    },

    async addMentoringRecord(token, body) {
      const who = await as(token);
      await ctx.get(MentoringService).create(who.userId, await input(CreateMentoringRecordDto, body));
    },
  };
}
