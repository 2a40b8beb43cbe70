import { Inject, Injectable } from '@nestjs/common';
import { CommonError } from '../../infrastructure/http/domain-error.js';
import { GeographyService } from '../geography/geography.service.js';
import { hasRole, type Principal } from '../identity/roles.js';
import { CertificationError } from './certification.errors.js';

/**
 * The one place that decides where staff may act: admins everywhere, coordinators inside the
 * localities they were granted (a commune coordinator their commune, a province coordinator all of it).
 */
@Injectable()
export class CertificationScope {
  constructor(@Inject(GeographyService) private readonly geography: GeographyService) {}

  /** Undefined: no restriction (admin). Otherwise the paths covered; throws 403 if none. */
  async pathsFor(who: Principal): Promise<string[] | undefined> {
    if (hasRole(who, 'admin')) return undefined;
    const paths = await this.geography.coordinatedPaths(who);
    if (paths.length === 0) throw CommonError.forbidden('This needs the coordinator or admin role.');
    return paths;
  }

  async covers(who: Principal, localityPath: string): Promise<boolean> {
    if (hasRole(who, 'admin')) return true;
    const paths = await this.geography.coordinatedPaths(who);
    return paths.some((p) => localityPath.startsWith(p));
  }

  async assertCovers(who: Principal, localityPath: string): Promise<void> {
    if (!(await this.covers(who, localityPath))) {
      if (!hasRole(who, 'coordinator'))
        throw CommonError.forbidden('This needs the coordinator or admin role.');
      throw CertificationError.outsideLocality();
    }
  }
}
