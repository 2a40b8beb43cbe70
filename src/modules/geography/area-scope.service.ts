import { Inject, Injectable } from '@nestjs/common';
import { hasRole, type Principal } from '../../infrastructure/auth/roles.js';
import { CommonError } from '../../infrastructure/errors/domain-error.js';
import type { LocalityEntity } from './entities/locality.entity.js';
import { GeographyError } from './geography.errors.js';
import { LocalityRepository } from './locality.repository.js';
import { byVietnameseName } from '../../infrastructure/i18n/locales.js';

/**
 * The one rule for where staff may act, asked by every module (certification, progress reports,
 * enrolment, the coordinators' pages): admins everywhere; coordinators inside the localities they
 * were granted (a commune coordinator their commune, a province coordinator all of it).
 */
@Injectable()
export class AreaScope {
  constructor(@Inject(LocalityRepository) private readonly localities: LocalityRepository) {}

  /** The localities a coordinator was granted ([] for anyone without a grant). */
  private granted(who: Principal): Promise<LocalityEntity[]> {
    const ids = who.roles.filter((r) => r.role === 'coordinator' && r.localityId).map((r) => r.localityId!);
    return ids.length === 0 ? Promise.resolve([]) : this.localities.findByIds([...new Set(ids)]);
  }

  /** The locality paths a coordinator covers ([] for anyone without a grant, admins included). */
  async coordinatedPaths(who: Principal): Promise<string[]> {
    return (await this.granted(who)).map((l) => l.path);
  }

  /** Undefined: everywhere (admins). Otherwise the paths covered; 403 for anyone who is neither. */
  async pathsFor(who: Principal): Promise<string[] | undefined> {
    if (hasRole(who, 'admin')) return undefined;
    const paths = await this.coordinatedPaths(who);
    if (paths.length === 0) throw CommonError.forbidden('This needs the coordinator or admin role.');
    return paths;
  }

  async covers(who: Principal, localityPath: string): Promise<boolean> {
    if (hasRole(who, 'admin')) return true;
    return (await this.coordinatedPaths(who)).some((p) => localityPath.startsWith(p));
  }

  /** 403 FORBIDDEN for someone without a staff role; 403 OUTSIDE_YOUR_AREA for a coordinator elsewhere. */
  async assertCovers(who: Principal, localityPath: string): Promise<void> {
    if (await this.covers(who, localityPath)) return;
    if (!hasRole(who, 'coordinator'))
      throw CommonError.forbidden('This needs the coordinator or admin role.');
    throw GeographyError.outsideArea();
  }

  /**
   * For what concerns a whole place and is shown to anyone working in any part of it (a province's
   * ranking of communes): admins, and coordinators granted the place, something inside it or
   * something containing it. 403 FORBIDDEN without a staff role, OUTSIDE_YOUR_AREA elsewhere.
   */
  async assertOverlaps(who: Principal, localityPath: string): Promise<void> {
    if (hasRole(who, 'admin')) return;
    const paths = await this.coordinatedPaths(who);
    if (paths.length === 0) throw CommonError.forbidden('This needs the coordinator or admin role.');
    if (!paths.some((p) => p.startsWith(localityPath) || localityPath.startsWith(p)))
      throw GeographyError.outsideArea();
  }

  /** The granted localities, leaving out any inside another one, widest first; 403 without any. */
  async roots(who: Principal): Promise<LocalityEntity[]> {
    const granted = await this.granted(who);
    const roots = granted
      .filter((l) => !granted.some((o) => o.id !== l.id && l.path.startsWith(o.path)))
      .sort((a, b) => a.path.length - b.path.length || byVietnameseName(a.name, b.name));
    if (roots.length === 0) throw CommonError.forbidden('This needs a coordinator role for a locality.');
    return roots;
  }
}
