import { certificationFactories } from './certification.factory.js';
import { courseFactories } from './course.factory.js';
import type { PlatformDriver } from './driver.js';
import { learningFactories } from './learning.factory.js';
import { userFactories } from './user.factory.js';

/** Every factory, bound to one way of reaching the platform (see PlatformDriver). */
export function factoriesVia(via: PlatformDriver) {
  return {
    ...userFactories(via),
    ...courseFactories(via),
    ...learningFactories(via),
    ...certificationFactories(via),
  };
}
