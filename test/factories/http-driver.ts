import { api, testEnv, type ApiResponse } from '../support/api.js';
import { uploadVideo, waitForMedia } from '../support/media.js';
import type { PlatformDriver } from './driver.js';

function expectStatus(res: ApiResponse, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what} failed: ${res.status} ${res.text}`);
}

let adminToken: string | undefined;

/** The factories over HTTP: real requests to the API process `npm test` started (e2e tests). */
export const httpDriver: PlatformDriver = {
  async register(body) {
    const res = await api('/api/v1/auth/register', { body });
    expectStatus(res, 201, 'register');
    return { id: res.body.user.id, accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
  },

  async adminAccessToken() {
    if (adminToken) return adminToken;
    const env = testEnv();
    const res = await api('/api/v1/auth/login', {
      body: { identifier: env.ADMIN_PHONE, password: env.ADMIN_PASSWORD },
    });
    if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${res.text}`);
    adminToken = res.body.accessToken as string;
    return adminToken;
  },

  async setRoles(token, userId, roles) {
    const res = await api(`/api/v1/admin/users/${userId}/roles`, { method: 'PUT', token, body: { roles } });
    if (res.status !== 200) throw new Error(`grant failed: ${res.status} ${res.text}`);
  },

  async learnerGroups() {
    return (await api('/api/v1/learner-groups')).body;
  },

  async createLocality(token, body) {
    const res = await api('/api/v1/localities', { token, body });
    if (res.status === 409) return null;
    if (res.status !== 201) throw new Error(`locality: ${res.status} ${res.text}`);
    return res.body.id;
  },

  async createCourse(token, body) {
    const res = await api('/api/v1/authoring/courses', { token, body });
    if (res.status !== 201) throw new Error(`create course failed: ${res.status} ${res.text}`);
    return res.body.courseId as string;
  },

  async addLesson(token, courseId, lesson) {
    const res = await api(`/api/v1/authoring/courses/${courseId}/draft/lessons`, { token, body: lesson });
    if (res.status !== 201) throw new Error(`add lesson failed: ${res.status} ${res.text}`);
  },

  async submit(token, courseId) {
    const res = await api(`/api/v1/authoring/courses/${courseId}/draft/submit`, { token, body: {} });
    expectStatus(res, 200, 'submit');
  },

  async publish(token, courseId) {
    const res = await api(`/api/v1/authoring/courses/${courseId}/review/publish`, { token, body: {} });
    expectStatus(res, 200, 'publish');
  },

  async lessons(token, courseId, version) {
    const res = await api(`/api/v1/authoring/courses/${courseId}/versions/${version}`, { token });
    expectStatus(res, 200, 'read version');
    return res.body.lessons;
  },

  async uploadVideo(token, video) {
    return (await uploadVideo(token, video)).mediaId;
  },

  async processedVideo(token, mediaId) {
    const media = await waitForMedia(token, mediaId);
    return { status: media.status, durationSeconds: media.durationSeconds ?? null, failure: media.failure };
  },

  async attachVideo(token, courseId, lessonKey, locale, mediaId) {
    const res = await api(
      `/api/v1/authoring/courses/${courseId}/draft/lessons/${lessonKey}/media/${locale}`,
      {
        method: 'PUT',
        token,
        body: { mediaId },
      },
    );
    if (res.status !== 200) throw new Error(`attach failed: ${res.status} ${res.text}`);
  },

  async enrol(token, courseId) {
    await api('/api/v1/progress/enrolments', { token, body: { courseId } });
  },

  async sync(token, events) {
    const res = await api('/api/v1/sync', { token, body: { events } });
    expectStatus(res, 200, 'sync');
    return { completedCourses: res.body.completedCourses.length, receipts: res.body.receipts };
  },

  async createProgramme(token, body) {
    const res = await api('/api/v1/certification/programmes', { token, body });
    if (res.status !== 201) throw new Error(`programme: ${res.status} ${res.text}`);
    return res.body.id;
  },

  async addMentoringRecord(token, body) {
    const res = await api('/api/v1/certification/mentoring-records', { token, body });
    if (res.status !== 201) throw new Error(`record: ${res.status} ${res.text}`);
  },
};
