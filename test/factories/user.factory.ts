import { api, testEnv } from '../support/api.js';

let next = 10_000_000 + Math.floor(Math.random() * 80_000_000);
/** A unique, valid Vietnamese mobile number for this run (each run has its own database). */
export function uniquePhone(): string {
  next += 1;
  return `09${next}`;
}

export const GOOD_PASSWORD = 'Học dùng điện thoại ở bản Sải Duần';

export interface TestUser {
  id: string;
  phone: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers a learner through the real API. */
export async function registerLearner(overrides: Record<string, unknown> = {}): Promise<TestUser> {
  const phone = (overrides.phone as string) ?? uniquePhone();
  const password = (overrides.password as string) ?? GOOD_PASSWORD;
  const res = await api('/api/v1/auth/register', {
    body: { phone, displayName: 'Học viên thử nghiệm', password, ...overrides },
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return {
    id: res.body.user.id,
    phone,
    password,
    accessToken: res.body.accessToken,
    refreshToken: res.body.refreshToken,
  };
}

let adminToken: string | undefined;
/** The bootstrap admin (ADMIN_PHONE / ADMIN_PASSWORD in the test environment). */
export async function adminAccessToken(): Promise<string> {
  if (adminToken) return adminToken;
  const env = testEnv();
  const res = await api('/api/v1/auth/login', {
    body: { identifier: env.ADMIN_PHONE, password: env.ADMIN_PASSWORD },
  });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${res.text}`);
  adminToken = res.body.accessToken as string;
  return adminToken;
}

/** A registered user holding the given roles (granted by the admin). */
export async function userWithRoles(roles: { role: string; localityId?: string }[]): Promise<TestUser> {
  const user = await registerLearner();
  const res = await api(`/api/v1/admin/users/${user.id}/roles`, {
    method: 'PUT',
    token: await adminAccessToken(),
    body: { roles },
  });
  if (res.status !== 200) throw new Error(`grant failed: ${res.status} ${res.text}`);
  return user;
}
