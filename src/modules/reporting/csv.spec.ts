import { CSV_BOM, csvCell, toCsv } from './csv.js';

describe('toCsv', () => {
  const columns = [
    { header: 'Họ tên', value: (r: { name: string; n: number | null }) => r.name },
    { header: 'Số hộ', value: (r: { name: string; n: number | null }) => r.n },
  ];

  it('writes a BOM, the header row and CRLF after every record', () => {
    const csv = toCsv([{ name: 'Sùng Thị Mỷ', n: 5 }], columns);
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(csv).toBe(`${CSV_BOM}Họ tên,Số hộ\r\nSùng Thị Mỷ,5\r\n`);
  });

  it('writes only the header row when there are no rows', () => {
    expect(toCsv([], columns)).toBe(`${CSV_BOM}Họ tên,Số hộ\r\n`);
  });

  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    expect(csvCell('Thôn Sải Duần, xã Bát Xát')).toBe('"Thôn Sải Duần, xã Bát Xát"');
    expect(csvCell('Hộ "A Páo"')).toBe('"Hộ ""A Páo"""');
    expect(csvCell('dòng 1\ndòng 2')).toBe('"dòng 1\ndòng 2"');
    expect(csvCell('dòng 1\r\ndòng 2')).toBe('"dòng 1\r\ndòng 2"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('')).toBe('');
  });

  it.each([
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+84912345678', "'+84912345678"],
    ['-1+2', "'-1+2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
  ])('makes a text cell starting a formula safe: %j', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });

  it('keeps numbers and formula characters that do not start the cell', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(87.5)).toBe('87.5');
    expect(csvCell('Lò Văn =A1')).toBe('Lò Văn =A1');
    expect(csvCell(" '=1")).toBe(" '=1");
  });

  it('makes headers safe too', () => {
    expect(toCsv([], [{ header: '=cmd', value: () => '' }])).toBe(`${CSV_BOM}'=cmd\r\n`);
  });
});
