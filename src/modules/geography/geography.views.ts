import type { LocalityResponse } from './dto/locality.dto.js';
import type { LocalityEntity } from './entities/locality.entity.js';

export function toLocalityResponse(
  l: LocalityEntity & { parentName?: string | null; childCount?: number },
): LocalityResponse {
  return {
    id: l.id,
    code: l.code,
    level: l.level,
    kind: l.kind,
    name: l.name,
    fullName: `${l.kind} ${l.name}`,
    parentId: l.parentId,
    ...(l.parentName !== undefined && { parentName: l.parentName }),
    ...(l.childCount !== undefined && { childCount: l.childCount }),
  };
}
