/** A user as the tests hold one: what registering (or signing in) gave back. */
export interface TestUser {
  id: string;
  phone: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** A lesson of a course version as its author sees it: whole content, answer keys included. */
export interface AuthoredLesson {
  id: string;
  lessonKey: string;
  kind: string;
  content: any;
}

/**
 * How the factories reach the platform. The e2e tests use `httpDriver` (requests to the API
 * process); the service tests use `serviceDriver(ctx)` (the same domain services, in-process). Both
 * take the same inputs and the caller's access token, so a course, a learner or a programme is built
 * the same way in both suites; the service driver turns the token into a principal the way the
 * auth guard does.
 */
export interface PlatformDriver {
  /** Self-registration as a learner. */
  register(body: Record<string, unknown>): Promise<{ id: string; accessToken: string; refreshToken: string }>;
  adminAccessToken(): Promise<string>;
  setRoles(adminToken: string, userId: string, roles: { role: string; localityId?: string }[]): Promise<void>;
  learnerGroups(): Promise<{ id: string; code: string }[]>;
  /** The new locality's id, or null when its code is already taken. */
  createLocality(adminToken: string, body: Record<string, unknown>): Promise<string | null>;
  /** The new course's id. */
  createCourse(token: string, body: Record<string, unknown>): Promise<string>;
  addLesson(token: string, courseId: string, lesson: object): Promise<void>;
  submit(token: string, courseId: string): Promise<void>;
  publish(token: string, courseId: string): Promise<void>;
  lessons(token: string, courseId: string, version: number): Promise<AuthoredLesson[]>;
  /** Uploads a video as a trainer does (presigned PUT to storage, then confirm); the media id. */
  uploadVideo(token: string, video: Buffer): Promise<string>;
  /** Waits until the worker has processed (or refused) the video. */
  processedVideo(
    token: string,
    mediaId: string,
  ): Promise<{ status: string; durationSeconds: number | null; failure: unknown }>;
  attachVideo(
    token: string,
    courseId: string,
    lessonKey: string,
    locale: string,
    mediaId: string,
  ): Promise<void>;
  enrol(token: string, courseId: string): Promise<void>;
  /** An offline batch of progress events; how many courses it completed, and the receipts. */
  sync(token: string, events: unknown[]): Promise<{ completedCourses: number; receipts: unknown[] }>;
  /** The new programme's id. */
  createProgramme(adminToken: string, body: Record<string, unknown>): Promise<string>;
  addMentoringRecord(token: string, body: Record<string, unknown>): Promise<void>;
}
