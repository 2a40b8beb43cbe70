import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceDirOf } from '../files/source-dir.js';
import { UI_LOCALES, type Locale } from './locales.js';

type Catalog = Record<string, string>;
export type UiLocale = (typeof UI_LOCALES)[number];

/** JSON message files live in src/ (not compiled). */
const messagesDir = () => join(sourceDirOf(import.meta.url), 'messages');

/**
 * One folder per UI locale (`messages/vi/*.json` …), one file per area (core, learner, trainer,
 * coordinator …) so each area's text sits together; a key defined in two files is a mistake.
 */
function loadCatalog(locale: UiLocale): Catalog {
  const dir = join(messagesDir(), locale);
  const catalog: Catalog = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    for (const [key, text] of Object.entries(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Catalog)) {
      if (key in catalog) throw new Error(`message ${key} is defined twice (${locale}/${file})`);
      catalog[key] = text;
    }
  }
  return catalog;
}

const catalogs: Record<UiLocale, Catalog> = Object.fromEntries(
  UI_LOCALES.map((l) => [l, loadCatalog(l)]),
) as Record<UiLocale, Catalog>;

export const isUiLocale = (v: unknown): v is UiLocale => (UI_LOCALES as readonly unknown[]).includes(v);

/** UI text in vi, hmn or en; a missing key falls back to Vietnamese, then to the key itself. */
export function translate(
  locale: Locale | string,
  key: string,
  params: Record<string, string | number> = {},
): string {
  const text = (isUiLocale(locale) ? catalogs[locale][key] : undefined) ?? catalogs.vi[key] ?? key;
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));
}

/**
 * Adds messages kept beside the code that uses them (a lesson kind's folder): one catalog per
 * UI locale; a key already defined is a mistake.
 */
export function registerMessages(source: string, added: Record<UiLocale, Catalog>): void {
  for (const locale of UI_LOCALES) {
    for (const [key, text] of Object.entries(added[locale] ?? {})) {
      if (key in catalogs[locale]) throw new Error(`message ${key} is defined twice (${locale}, ${source})`);
      catalogs[locale][key] = text;
    }
  }
}

/** Keys some locale has and another lacks (every locale must have every key). */
export function missingKeys(): Record<string, string[]> {
  const keys = new Set(UI_LOCALES.flatMap((l) => Object.keys(catalogs[l])));
  return Object.fromEntries(UI_LOCALES.map((l) => [l, [...keys].filter((k) => !catalogs[l][k])]));
}

/** Whether a key exists (to translate error codes when there is a message for them). */
export const hasMessage = (key: string) => key in catalogs.vi;
