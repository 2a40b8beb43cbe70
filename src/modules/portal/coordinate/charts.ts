import { escapeXml } from '../../../infrastructure/http/xml.js';

/** One bar of a chart: its label under the axis and its value. */
export interface Bar {
  label: string;
  value: number;
}

const WIDTH = 320;
const HEIGHT = 150;
const PLOT = { left: 36, right: 8, top: 12, bottom: 26 };

/**
 * A bar chart as inline SVG, drawn on the server: no chart library in the browser, under 2 KB,
 * sharp on any screen. It is a picture for the eye; the page puts the same figures in a table
 * beside it (`aria-describedby`), which screen readers and CSV exports use.
 */
export function barChart(input: { id: string; title: string; bars: Bar[]; labelEvery?: number }): string {
  const { bars } = input;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const step = plotWidth / Math.max(1, bars.length);
  const every = input.labelEvery ?? 1;
  const parts = bars.map((b, i) => {
    const h = Math.round((plotHeight * b.value) / max);
    const x = Math.round(PLOT.left + i * step + step * 0.15);
    const label =
      i % every === 0
        ? `<text x="${Math.round(x + step * 0.35)}" y="${HEIGHT - 8}" text-anchor="middle">${escapeXml(b.label)}</text>`
        : '';
    return `<rect x="${x}" y="${PLOT.top + plotHeight - h}" width="${Math.max(1, Math.round(step * 0.7))}" height="${h}"/>${label}`;
  });
  return [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${input.id}-t"`,
    ` aria-describedby="${input.id}-data" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${input.id}-t">${escapeXml(input.title)}</title>`,
    `<line x1="${PLOT.left}" y1="${PLOT.top + plotHeight}" x2="${WIDTH - PLOT.right}" y2="${PLOT.top + plotHeight}"/>`,
    `<text x="${PLOT.left - 4}" y="${PLOT.top + 8}" text-anchor="end">${max}</text>`,
    `<text x="${PLOT.left - 4}" y="${PLOT.top + plotHeight}" text-anchor="end">0</text>`,
    ...parts,
    '</svg>',
  ].join('');
}
