import type { UserResponse } from './dto/auth.dto.js';
import type { UserEntity } from './entities/user.entity.js';

/**
 * The only way a user leaves the API: explicit fields, never the entity (no password hash).
 * `places` names localities (user management answers: UsersService.placeNames); elsewhere null.
 */
export function toUserResponse(u: UserEntity, places?: Map<string, string>): UserResponse {
  return {
    id: u.id,
    phone: u.phone,
    email: u.email,
    displayName: u.displayName,
    roles: (u.roles ?? []).map((r) => ({
      role: r.role,
      localityId: r.localityId,
      localityName: (r.localityId && places?.get(r.localityId)) || null,
    })),
    learnerGroupId: u.learnerGroupId,
    languages: u.languages,
    villageId: u.villageId,
    villageName: (u.villageId && places?.get(u.villageId)) || null,
    disabled: !!u.disabledAt,
    activated: !!u.activatedAt,
    createdAt: u.createdAt.toISOString(),
  };
}
