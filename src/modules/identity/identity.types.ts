/** What other modules may know of a user (the services return it; never its password hash in a response). */
export type { UserEntity as User } from './entities/user.entity.js';
