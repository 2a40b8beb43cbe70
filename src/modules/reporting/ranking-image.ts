import { escapeXml } from '../../infrastructure/http/xml.js';
import { documentDayOf } from '../../infrastructure/i18n/vietnam-time.js';
import { translate } from '../../infrastructure/i18n/messages.js';
import type { Ranking } from './ranking.service.js';

/** 1080 × 1080: a square that Zalo and other chat apps show whole in a group, on any phone. */
export const RANKING_IMAGE_SIZE = 1080;
const ROWS = 10;

/**
 * The shareable picture of a ranking by coverage: the top ten communes with a bar each, the
 * province and day, in the reader's language. Plain SVG (text, rectangles), about 4 KB; it names
 * communes and counts only. Fonts fall back to any sans-serif with Vietnamese letters.
 */
export function rankingImage(ranking: Ranking, locale: string): string {
  const t = (key: string, params: Record<string, string | number> = {}) =>
    escapeXml(translate(locale, key, params));
  const size = RANKING_IMAGE_SIZE;
  const top = ranking.items.slice(0, ROWS);
  const rowHeight = 74;
  const barX = 440;
  const barWidth = 460;
  const rows = top.map((r, i) => {
    const y = 250 + i * rowHeight;
    const width = Math.round((barWidth * Math.min(100, r.activeVillagePercent)) / 100);
    const name = r.name.length > 22 ? `${r.name.slice(0, 21)}…` : r.name;
    return [
      `<text x="60" y="${y + 36}" font-size="34" font-weight="700" fill="#0b5d3b">${r.rank}</text>`,
      `<text x="120" y="${y + 36}" font-size="32" fill="#1f2933">${escapeXml(name)}</text>`,
      `<rect x="${barX}" y="${y + 8}" width="${barWidth}" height="36" rx="6" fill="#e4efe9"/>`,
      `<rect x="${barX}" y="${y + 8}" width="${width}" height="36" rx="6" fill="#12805c"/>`,
      `<text x="${barX + barWidth + 16}" y="${y + 36}" font-size="28" fill="#1f2933">${r.coveredVillages}/${r.villages}</text>`,
    ].join('');
  });
  const more = ranking.items.length - top.length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}"`,
    ` font-family="'Be Vietnam Pro', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif" role="img"`,
    ` aria-label="${t('ranking.title')}">`,
    `<rect width="${size}" height="${size}" fill="#ffffff"/>`,
    `<rect width="${size}" height="12" fill="#12805c"/>`,
    `<text x="60" y="110" font-size="52" font-weight="700" fill="#0b5d3b">${t('ranking.title')}</text>`,
    `<text x="60" y="170" font-size="28" fill="#52606d">${t('ranking.subtitle', {
      province: ranking.provinceName,
      day: documentDayOf(ranking.today),
    })}</text>`,
    `<text x="${barX}" y="228" font-size="24" fill="#52606d">${t('ranking.col.coverage')}</text>`,
    ...rows,
    more > 0
      ? `<text x="120" y="${250 + ROWS * rowHeight + 20}" font-size="26" fill="#52606d">${t('ranking.more', { n: more })}</text>`
      : '',
    `<text x="60" y="${size - 40}" font-size="24" fill="#7b8794">${t('ranking.footer')}</text>`,
    `</svg>`,
  ].join('');
}
