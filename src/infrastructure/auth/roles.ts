export const ROLES = ['learner', 'trainer', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A role as granted: coordinators are scoped to a locality (province or commune). */
export interface RoleGrant {
  role: Role;
  localityId: string | null;
}

/** The signed-in user as guards and services see it. */
export interface Principal {
  userId: string;
  sessionId: string;
  via: 'bearer' | 'cookie';
  roles: RoleGrant[];
}

export const hasRole = (p: Principal | undefined, role: Role) => !!p?.roles.some((r) => r.role === role);
