import type Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { documentDate } from '../../../infrastructure/i18n/vietnam-time.js';
import { translate } from '../../../infrastructure/i18n/messages.js';
import { LESSON_KIND_DEFINITIONS } from '../../lesson-kinds/lesson-kinds.js';

/** A recording as the catalog gives it (`VoiceResponse`). */
interface SpeakerVoice {
  url: string;
  locale: string;
  fallback: boolean;
  durationSeconds: number;
}
/** A picture as the catalog gives it (`LearnerPictureView`). */
interface PictureFiles {
  alt: { text: string; locale: string };
  width: number;
  height: number;
  webp: string;
  jpeg: string;
  src: string;
}

type Options = { hash: Record<string, string | number>; data: { root: { locale: string } } };

/** How each content language is named when a text falls back to it. */
export const LANGUAGE_NAMES: Record<string, string> = {
  vi: 'Tiếng Việt',
  hmn: 'Hmoob',
  ium: 'Mienh',
  tyz: 'Tày',
  en: 'English',
};

const numberFormat = (locale: string, digits: number) =>
  new Intl.NumberFormat(locale === 'en' ? 'en' : 'vi', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });

/**
 * The portal's template helpers and partials (templates/partials/*.hbs, by file name). Text from
 * people and from the database is always escaped; helpers that return markup escape what they embed.
 */
export function registerPortalTemplates(handlebars: typeof Handlebars, templatesDir: string) {
  const h = handlebars;
  h.registerHelper('t', (key: string, opts: Options) => translate(opts.data.root.locale, key, opts.hash));
  h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  h.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  h.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  h.registerHelper('inc', (n: number) => Number(n) + 1);
  h.registerHelper('mult', (a: number, b: number) => Number(a) * Number(b));
  h.registerHelper('percent', (n: number) => Math.round(Number(n) || 0));
  h.registerHelper('megabytes', (bytes: number, opts: Options) =>
    numberFormat(opts.data.root.locale, 1).format(Math.max(0.1, Number(bytes) / 1_000_000)),
  );
  h.registerHelper('date', (iso: string | Date | null) => (iso ? documentDate(new Date(iso)) : ''));
  h.registerHelper('languageName', (code: string) => LANGUAGE_NAMES[code] ?? code);
  /** A localized value `{ text, locale, fallback }`, marked when it is not in the reader's language. */
  h.registerHelper(
    'loc',
    (value: { text: string; locale: string; fallback: boolean } | null, opts: Options) => {
      if (!value) return '';
      const text = h.escapeExpression(value.text);
      if (!value.fallback)
        return new h.SafeString(`<span lang="${h.escapeExpression(value.locale)}">${text}</span>`);
      const marker = translate(opts.data.root.locale, 'fallback.shownIn', {
        language: LANGUAGE_NAMES[value.locale] ?? value.locale,
      });
      return new h.SafeString(
        `<span lang="${h.escapeExpression(value.locale)}">${text}</span> <small class="fallback">${h.escapeExpression(marker)}</small>`,
      );
    },
  );
  /** The editor's two recording slots: Vietnamese and the second language of the page. */
  h.registerHelper(
    'voiceSlots',
    (vi: string, second: string, opts: Options & { data: { root: { second?: string } } }) => {
      const other = opts.data.root.second ?? 'hmn';
      return [
        { isVi: true, id: vi, name: LANGUAGE_NAMES.vi },
        ...(other === 'vi' ? [] : [{ isVi: false, id: second, name: LANGUAGE_NAMES[other] ?? other }]),
      ];
    },
  );
  /**
   * A large speaker button playing a recording (speak.js fetches it on tap), with the "not in
   * your language" marker, in words and as the language's code on the button, when it is another.
   */
  h.registerHelper('speak', (voice: SpeakerVoice | null, opts: Options) => {
    if (!voice?.url) return '';
    const e = h.escapeExpression;
    const locale = opts.data.root.locale;
    const listen = translate(locale, 'voice.listen', {
      seconds: Math.max(1, Math.round(voice.durationSeconds)),
    });
    const code = voice.locale.toUpperCase();
    const badge = voice.fallback
      ? ` <span class="speak-lang" lang="${e(voice.locale)}">${e(code)}</span>`
      : '';
    // The name includes the language code the button shows (what is seen is what is announced).
    const name = voice.fallback ? `${listen} ${code}` : listen;
    const button = `<button type="button" class="speak" data-src="${e(voice.url)}" aria-label="${e(name)}" title="${e(listen)}"><i></i>${badge}</button>`;
    if (!voice.fallback) return new h.SafeString(button);
    const marker = translate(locale, 'voice.notYourLanguage', {
      language: LANGUAGE_NAMES[voice.locale] ?? voice.locale,
    });
    return new h.SafeString(`${button} <small class="fallback">${e(marker)}</small>`);
  });
  /** A picture: WebP with a JPEG fallback, the width the screen needs, loaded when scrolled near. */
  h.registerHelper('lazyPicture', (picture: PictureFiles | null, opts: Options) => {
    if (!picture?.src) return '';
    const e = h.escapeExpression;
    const sizes = e(String(opts.hash.sizes ?? '(max-width: 40rem) 100vw, 640px'));
    return new h.SafeString(
      `<picture><source type="image/webp" srcset="${e(picture.webp)}" sizes="${sizes}">` +
        `<img src="${e(picture.src)}" srcset="${e(picture.jpeg)}" sizes="${sizes}" width="${Number(picture.width)}" height="${Number(picture.height)}" alt="${e(picture.alt.text)}" lang="${e(picture.alt.locale)}" loading="lazy" decoding="async"></picture>`,
    );
  });
  const partials = join(templatesDir, 'partials');
  for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) {
    h.registerPartial(basename(file, '.hbs'), readFileSync(join(partials, file), 'utf8'));
  }
  // Each lesson kind's own partials, `kind-<kind>-learn|teach|preview`; a kind without one shows nothing there.
  for (const k of LESSON_KIND_DEFINITIONS) {
    for (const part of ['learn', 'teach', 'preview']) {
      const file = join(k.portal.templatesDir, `${part}.hbs`);
      h.registerPartial(`kind-${k.kind}-${part}`, existsSync(file) ? readFileSync(file, 'utf8') : '');
    }
  }
}
