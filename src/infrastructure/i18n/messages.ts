import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UI_LOCALES, type Locale } from './locales.js';

type Catalog = Record<string, string>;
export type UiLocale = (typeof UI_LOCALES)[number];

/** JSON message files live in src/ (not compiled); found from either src/ or dist/src/. */
function messagesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${join('dist', 'src')}`)
    ? here.replace(join('dist', 'src'), 'src') + '/messages'
    : join(here, 'messages');
}

const catalogs: Record<UiLocale, Catalog> = Object.fromEntries(
  UI_LOCALES.map((l) => [l, JSON.parse(readFileSync(join(messagesDir(), `${l}.json`), 'utf8')) as Catalog]),
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

export function missingKeys(): Record<string, string[]> {
  const keys = Object.keys(catalogs.vi);
  return Object.fromEntries(UI_LOCALES.map((l) => [l, keys.filter((k) => !catalogs[l][k])]));
}
