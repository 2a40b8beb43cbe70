import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasMessage } from '../../infrastructure/i18n/messages.js';
import { COURSE_TOPICS } from '../catalog/catalog.types.js';
import { LESSON_KIND_DEFINITIONS, LESSON_KINDS } from '../lesson-kinds/lesson-kinds.js';
import { APPLICATION_STATUSES } from '../certification/certification.types.js';
import { MENTORING_TASKS } from '../certification/certification.types.js';
import { ASSETS_DIR } from './shell/portal-assets.js';

const TEMPLATES = join(ASSETS_DIR, '..', 'templates');
const SOURCES = join(ASSETS_DIR, '..');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : [],
  );
}

/** Every literal message key a template or portal controller uses exists (a missing one would show the key). */
describe('portal texts', () => {
  it('has a message for every key the templates and controllers name', () => {
    const used = new Set<string>();
    const kindTemplates = LESSON_KIND_DEFINITIONS.flatMap((k) => files(k.portal.templatesDir, '.hbs'));
    for (const f of [...files(TEMPLATES, '.hbs'), ...kindTemplates]) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\(?\bt "([\w.-]+)"/g)) used.add(m[1]);
    }
    for (const f of files(SOURCES, '.ts').filter((f) => !f.endsWith('.spec.ts'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\('([\w.-]+)'/g)) used.add(m[1]);
    }
    // Keys built from a prefix (`topic.` + code) are checked below, family by family.
    expect([...used].filter((k) => !k.endsWith('.') && !hasMessage(k)).sort()).toEqual([]);
    expect(used.size).toBeGreaterThan(50);
  });

  it('names every topic, lesson kind, status and mentoring task', () => {
    const families: [string, readonly string[]][] = [
      ['topic.', COURSE_TOPICS],
      ['lesson.kind.', LESSON_KINDS],
      ['mentoring.task.', MENTORING_TASKS],
      ['application.status.', APPLICATION_STATUSES],
      ['certificate.status.', ['pending', 'valid', 'revoked', 'superseded', 'expired']],
    ];
    const missing = families
      .flatMap(([prefix, codes]) => codes.map((c) => prefix + c))
      .filter((k) => !hasMessage(k));
    expect(missing).toEqual([]);
  });
});
