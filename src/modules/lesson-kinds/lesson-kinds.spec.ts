import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpStatusOf } from '../../infrastructure/errors/domain-error.js';
import { UI_LOCALES } from '../../infrastructure/i18n/locales.js';
import { hasMessage, missingKeys } from '../../infrastructure/i18n/messages.js';
import { copyState } from './lesson-kind.js';
import { LESSON_KIND_DEFINITIONS, lessonKind, PROGRESS_EVENT_TYPES } from './lesson-kinds.js';

/** What the registry promises every kind: the rest of the platform relies on it without asking. */
describe('the lesson kind registry', () => {
  it('knows each kind once, each with its own event type', () => {
    const kinds = LESSON_KIND_DEFINITIONS.map((k) => k.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(new Set(PROGRESS_EVENT_TYPES).size).toBe(kinds.length);
    expect(() => lessonKind('podcast')).toThrow(/Unknown lesson kind/);
  });

  it.each(LESSON_KIND_DEFINITIONS.map((k) => [k.kind, k] as const))(
    '%s: has its learner page, its names in every UI language and a status for each refusal',
    (_, k) => {
      expect(existsSync(join(k.portal.templatesDir, 'learn.hbs'))).toBe(true);
      if (k.portal.teach) expect(existsSync(join(k.portal.templatesDir, 'teach.hbs'))).toBe(true);
      for (const key of [`lesson.kind.${k.kind}`, `teach.kind.${k.kind}`]) expect(hasMessage(key)).toBe(true);
      for (const [code, status] of Object.entries(k.rejections)) {
        expect(httpStatusOf(code)).toBe(status);
        expect(hasMessage(`errors.${code}`)).toBe(true);
      }
      // Its messages come in every UI language (missingKeys below checks each has every key).
      const messages = JSON.parse(readFileSync(join(k.portal.templatesDir, '..', 'messages.json'), 'utf8'));
      expect(Object.keys(messages).sort()).toEqual([...UI_LOCALES].sort());
    },
  );

  it('leaves no message missing in any UI language once the kinds added theirs', () => {
    expect(missingKeys()).toEqual(Object.fromEntries(UI_LOCALES.map((l) => [l, []])));
  });

  it('starts every learner from an empty state the kind can summarise', () => {
    for (const k of LESSON_KIND_DEFINITIONS) {
      const lesson = { id: 'l', content: {}, mediaDurations: {} };
      expect(k.progress(lesson, k.emptyState(), { videoCompletionShare: 0.9 }, false)).toEqual(
        k.progress(lesson, null, { videoCompletionShare: 0.9 }, false),
      );
    }
  });
});

describe('copyState', () => {
  it('copies JSON state deeply, so changing the copy leaves the original as it was', () => {
    const state = { watched: { hmn: [[0, 42.5]] }, watchedSeconds: 42.5, positionAt: null, done: ['a'] };
    const copy = copyState(state);
    expect(copy).toEqual(state);
    copy.watched.hmn[0][1] = 60;
    copy.done.push('b');
    expect(state).toEqual({
      watched: { hmn: [[0, 42.5]] },
      watchedSeconds: 42.5,
      positionAt: null,
      done: ['a'],
    });
  });

  it('copies what is not plain JSON the general way', () => {
    const at = new Date('2026-12-07T00:00:00Z');
    const copy = copyState({ at });
    // (structuredClone makes it in Node's own realm, not the test's: compare by tag, not class.)
    expect(Object.prototype.toString.call(copy.at)).toBe('[object Date]');
    expect(copy.at).not.toBe(at);
    expect(copy.at.getTime()).toBe(at.getTime());
  });
});
