import type { PlatformDriver, TestUser } from './driver.js';
import { httpDriver } from './http-driver.js';

export type { TestUser } from './driver.js';

let next = 10_000_000 + Math.floor(Math.random() * 80_000_000);
/** A unique, valid Vietnamese mobile number for this run (each run has its own database). */
export function uniquePhone(): string {
  next += 1;
  // Endings 98 and 99 are kept for uniquePhoneEndingIn: the fake SMS gateway fails those numbers.
  if (next % 100 >= 98) next += 100 - (next % 100);
  return `09${next}`;
}

/**
 * A unique phone number ending in the two digits `ending` (the fake SMS gateway answers 503 to
 * numbers ending in 99 and 400 to those ending in 98). The counter moves past it, so no later
 * `uniquePhone()` can hand out the same number.
 */
export function uniquePhoneEndingIn(ending: string): string {
  next = Math.floor(next / 100) * 100 + 100 + Number(ending);
  return `09${next}`;
}

export const GOOD_PASSWORD = 'Học dùng điện thoại ở bản Sải Duần';

/** Users built through `via` (HTTP for e2e tests, in-process services for service tests). */
export function userFactories(via: PlatformDriver) {
  /** Registers a learner (self-registration always yields a learner). */
  async function registerLearner(overrides: Record<string, unknown> = {}): Promise<TestUser> {
    const phone = (overrides.phone as string) ?? uniquePhone();
    const password = (overrides.password as string) ?? GOOD_PASSWORD;
    const session = await via.register({
      phone,
      displayName: 'Học viên thử nghiệm',
      password,
      ...overrides,
    });
    return { ...session, phone, password };
  }

  /** The bootstrap admin (ADMIN_PHONE / ADMIN_PASSWORD in the test environment). */
  function adminAccessToken(): Promise<string> {
    return via.adminAccessToken();
  }

  /** A registered user holding the given roles (granted by the admin). */
  async function userWithRoles(roles: { role: string; localityId?: string }[]): Promise<TestUser> {
    const user = await registerLearner();
    await via.setRoles(await adminAccessToken(), user.id, roles);
    return user;
  }

  return { registerLearner, adminAccessToken, userWithRoles };
}

export const { registerLearner, adminAccessToken, userWithRoles } = userFactories(httpDriver);
