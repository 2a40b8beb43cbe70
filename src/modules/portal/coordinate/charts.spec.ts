import { barChart } from './charts.js';

describe('barChart', () => {
  it('draws one bar per value, scaled to the largest, with the figures described by the table', () => {
    const svg = barChart({
      id: 'enrolments',
      title: 'Ghi danh <mới>',
      bars: [
        { label: '01/12', value: 4 },
        { label: '08/12', value: 0 },
        { label: '15/12', value: 2 },
      ],
    });
    expect(svg).toMatch(/^<svg class="chart" viewBox="0 0 320 150" role="img"/);
    expect(svg).toContain('aria-describedby="enrolments-data"');
    expect(svg).toContain('<title id="enrolments-t">Ghi danh &lt;mới&gt;</title>');
    const heights = [...svg.matchAll(/<rect [^>]*height="(\d+)"/g)].map((m) => Number(m[1]));
    expect(heights).toEqual([112, 0, 56]);
    expect(Buffer.byteLength(svg)).toBeLessThan(2048);
  });

  it('draws an empty axis when nothing happened', () => {
    const svg = barChart({ id: 'x', title: 'x', bars: [{ label: 'a', value: 0 }] });
    expect(svg).toContain('>1</text>');
    expect([...svg.matchAll(/<rect /g)]).toHaveLength(1);
  });
});
