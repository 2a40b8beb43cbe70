import type { UserResponse } from './dto/auth.dto.js';
import type { UserEntity } from './entities/user.entity.js';

/** The only way a user leaves the API: explicit fields, never the entity (no password hash). */
export function toUserResponse(u: UserEntity): UserResponse {
  return {
    id: u.id,
    phone: u.phone,
    email: u.email,
    displayName: u.displayName,
    roles: (u.roles ?? []).map((r) => ({ role: r.role, localityId: r.localityId })),
    learnerGroupId: u.learnerGroupId,
    languages: u.languages,
    villageId: u.villageId,
    disabled: !!u.disabledAt,
    createdAt: u.createdAt.toISOString(),
  };
}
