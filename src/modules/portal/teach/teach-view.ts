import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Principal } from '../../../infrastructure/auth/roles.js';
import { localizeText } from '../../../infrastructure/i18n/locales.js';
import { hasMessage } from '../../../infrastructure/i18n/messages.js';
import { AuthoringService } from '../../authoring/authoring.service.js';
import { COURSE_TOPICS, type CourseVersion } from '../../catalog/catalog.types.js';
import { LearnerGroupsService } from '../../catalog/learner-groups.service.js';
import type { FormProblem } from '../../lesson-kinds/lesson-kind.js';
import { LANGUAGE_NAMES } from '../shell/portal-handlebars.js';
import type { PortalPage } from '../shell/portal-view.js';
import { SECOND_LANGUAGES } from './trainer-forms.js';

export const UPLOAD_SCRIPT = '/assets/upload.js';
/** Recording voices and adding pictures in the editors of kinds with spoken texts. */
export const RECORD_SCRIPT = '/assets/record.js';

/** A readable address from a Vietnamese title: "Thanh toán tiền điện" → "thanh-toan-tien-dien-3fa1". */
export function slugFrom(title: string): string {
  const base = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
  return `${base.length >= 3 ? base : 'khoa-hoc'}-${randomBytes(2).toString('hex')}`;
}

/** A form field path from the API's DTO rules (`title.vi`) as words for the trainer. */
export function problemText(page: PortalPage, path: string): string {
  const field = path === 'title.vi' ? 'titleVi' : path.split('.')[0];
  const key = `teach.invalid.${field}`;
  return hasMessage(key) ? page.t(key) : page.t('teach.invalid.other', { field: path });
}

/** What the trainer's pages share: the course being edited, and the parts of their models. */
@Injectable()
export class TeachView {
  constructor(
    @Inject(AuthoringService) private readonly authoring: AuthoringService,
    @Inject(LearnerGroupsService) private readonly groups: LearnerGroupsService,
  ) {}

  /** The latest version of a course the caller owns (403 for anyone else), with its lessons. */
  async latest(courseId: string, who: Principal) {
    const { course, versions } = await this.authoring.history(courseId, who);
    const { version, lessons } = await this.authoring.readableVersion(courseId, versions[0].version, who);
    return { course, version, lessons, versions };
  }

  /** Links to edit another language beside Vietnamese. */
  secondChoices(page: PortalPage, path: string, second: string) {
    return SECOND_LANGUAGES.map((code) => ({
      code,
      name: LANGUAGE_NAMES[code],
      href: `${path}?second=${code}`,
      current: code === second,
    }));
  }

  versionModel(v: CourseVersion, page: PortalPage) {
    return {
      number: v.version,
      status: v.status,
      statusLabel: page.t(`teach.status.${v.status}`),
      isDraft: v.status === 'draft',
      inReview: v.status === 'in_review',
      isPublished: v.status === 'published',
      reviewNote: v.reviewNote,
    };
  }

  topics(page: PortalPage, selected: string | undefined) {
    return COURSE_TOPICS.map((code) => ({
      code,
      name: page.t(`teach.topic.${code}`),
      selected: code === selected,
    }));
  }

  async groupChoices(page: PortalPage, checked: string[]) {
    return (await this.groups.list(false)).map((g) => ({
      id: g.id,
      name: localizeText(g.names, page.chain),
      checked: checked.includes(g.id),
    }));
  }

  /** A lesson kind's form problems in the trainer's words. */
  problems(page: PortalPage, problems: FormProblem[]): string[] {
    return problems.map((p) => page.t(p.key, p.params));
  }
}
