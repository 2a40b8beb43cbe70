import { CertificateRenderer, type CertificateView } from './certificate-renderer.js';

const view: CertificateView = {
  serial: 'NBS-LCI-2026-000123',
  // Decomposed (NFD) input, as some phone keyboards send it: it must print as NFC.
  holderName: 'Sùng Thị Mỷ'.normalize('NFD'),
  secondLocale: 'hmn',
  programmeVi: 'Người bản số tỉnh Lào Cai',
  programmeSecond: 'Neeg txawj digital hauv xeev Lào Cai',
  place: 'Thôn Sải Duần, xã Bát Xát, tỉnh Lào Cai',
  courses: [{ title: 'Tài khoản VNeID mức độ 2', version: 2 }],
  issuedAt: new Date('2026-11-30T17:30:00Z'), // 1 December in Vietnam
  expiresAt: new Date('2028-11-30T17:30:00Z'),
  verifyUrl: 'https://banso.example/verify/3wmeanchp0ae1578bnvwkavrnw',
  issuerName: 'Tổ điều phối Người bản số tỉnh Lào Cai',
};

describe('CertificateRenderer', () => {
  const renderer = new CertificateRenderer();

  it('fills the template in Vietnamese and the holder’s language, dated in Vietnam', () => {
    const svg = renderer.svg(view);
    expect(svg).toContain('Sùng Thị Mỷ'.normalize('NFC'));
    expect(svg).not.toContain(view.holderName); // no decomposed text left
    expect(svg).toContain('GIẤY CHỨNG NHẬN NGƯỜI BẢN SỐ');
    expect(svg).toContain('DAIM NTAWV POV THAWJ');
    expect(svg).toContain('01/12/2026');
    expect(svg).toContain(view.verifyUrl);
    expect(svg).toMatch(/<path d="M\d/); // the QR code
  });

  it('escapes what people typed', () => {
    expect(renderer.svg({ ...view, holderName: 'A <script>&' })).toContain('A &lt;script&gt;&amp;');
  });

  it('makes a one-page A4 landscape PDF with only the Be Vietnam Pro subsets embedded, the same bytes every time', async () => {
    const pdf = await renderer.pdf(view);
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text).toMatch(/\/MediaBox \[0 0 842 595\]/);
    expect(text.match(/\/Type \/Page\b/g)).toHaveLength(1);
    expect(text).toMatch(/BeVietnamPro-Regular/);
    expect(text).toMatch(/BeVietnamPro-Bold/);
    expect(text).not.toMatch(/Helvetica/);
    expect(pdf.length).toBeLessThan(100 * 1024);
    // A retried job stores the same document.
    expect((await renderer.pdf(view)).equals(pdf)).toBe(true);
  });
});
