import { Injectable } from '@nestjs/common';
import * as fontkit from 'fontkit';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import SVGtoPDF from 'svg-to-pdfkit';
import { translate, type UiLocale } from '../../infrastructure/i18n/messages.js';
import { documentDate } from '../../infrastructure/i18n/vietnam-time.js';

/** What goes on a certificate. Strings are normalised to NFC before rendering. */
export interface CertificateView {
  serial: string;
  holderName: string;
  /** The language printed beside Vietnamese (vi holders get English). */
  secondLocale: UiLocale;
  programmeVi: string;
  programmeSecond: string;
  /** "Thôn Sải Duần, xã Bát Xát, tỉnh Lào Cai". */
  place: string;
  courses: { title: string; version: number }[];
  issuedAt: Date;
  expiresAt: Date;
  verifyUrl: string;
  issuerName: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const TEMPLATE = join(here.replace(join('dist', 'src'), 'src'), 'templates', 'certificate.svg.hbs');
const FONT_DIR = dirname(
  createRequire(import.meta.url).resolve('@expo-google-fonts/be-vietnam-pro/package.json'),
);
const LABELS = ['title', 'certifies', 'achievement', 'serial', 'issued', 'validUntil', 'scan'] as const;
const PAGE = { width: 842, height: 595 };
const QR_SIZE = 100;

/** A parsed font object, which pdfkit accepts wherever it takes a font file. */
function loadFont(path: string): fontkit.Font {
  const font = fontkit.create(readFileSync(path));
  if (!('layout' in font)) throw new Error(`${path} is a font collection, not a font`);
  return font;
}

/** Shrinks long names to fit the 700 pt line (Be Vietnam Pro Bold averages ~0.6 em per character). */
const nameSize = (name: string) => Math.max(16, Math.min(34, Math.floor(700 / (0.6 * [...name].length))));

function labels(locale: UiLocale) {
  return Object.fromEntries(LABELS.map((k) => [k, translate(locale, `certificate.${k}`)]));
}

/** One path for the whole QR code: far smaller in the PDF than a rectangle per module. */
function qrPath(text: string): { path: string; modules: number } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  let path = '';
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n;) {
      if (!qr.modules.get(x, y)) {
        x++;
        continue;
      }
      let run = 1;
      while (x + run < n && qr.modules.get(x + run, y)) run++;
      path += `M${x} ${y}h${run}v1h-${run}z`;
      x += run;
    }
  }
  return { path, modules: n };
}

/**
 * Certificate PDFs from a Handlebars SVG template, without a browser: the template is compiled and
 * the fonts read once per process; each PDF embeds only the glyphs it uses.
 */
@Injectable()
export class CertificateRenderer {
  private readonly template = Handlebars.create().compile(readFileSync(TEMPLATE, 'utf8'), {
    strict: true,
    noEscape: false,
  });
  // Parsed once: parsing the TTFs for every document was a fifth of a certificate's CPU time.
  private readonly fonts = {
    Regular: loadFont(join(FONT_DIR, '400Regular', 'BeVietnamPro_400Regular.ttf')),
    Bold: loadFont(join(FONT_DIR, '700Bold', 'BeVietnamPro_700Bold.ttf')),
  };

  svg(view: CertificateView): string {
    const nfc = (s: string) => s.normalize('NFC');
    const { path, modules } = qrPath(view.verifyUrl);
    const scale = QR_SIZE / modules;
    return this.template({
      issuerName: nfc(view.issuerName),
      vi: labels('vi'),
      second: labels(view.secondLocale),
      holderName: nfc(view.holderName),
      nameSize: nameSize(view.holderName),
      place: nfc(view.place),
      programmeVi: nfc(view.programmeVi),
      programmeSecond: nfc(view.programmeSecond),
      courses: view.courses
        .slice(0, 5)
        .map((c, i) => ({ title: nfc(c.title), version: c.version, y: 400 + i * 14 })),
      serial: view.serial,
      issuedOn: documentDate(view.issuedAt),
      expiresOn: documentDate(view.expiresAt),
      verifyUrl: view.verifyUrl,
      qr: { path, scale: scale.toFixed(4), framed: modules + 4, y: 425 },
    });
  }

  async pdf(view: CertificateView): Promise<Buffer> {
    const doc = new PDFDocument({
      size: [PAGE.width, PAGE.height],
      margin: 0,
      compress: true,
      // Our font from the start: pdfkit would otherwise load Helvetica's metrics for every document.
      font: this.fonts.Regular as never,
      // Fixed dates: rendering the same certificate twice gives the same document.
      info: {
        Title: `${view.serial} — ${view.programmeVi}`.normalize('NFC'),
        Author: view.issuerName.normalize('NFC'),
        CreationDate: view.issuedAt,
        ModDate: view.issuedAt,
      },
    });
    doc.registerFont('Regular', this.fonts.Regular as never);
    doc.registerFont('Bold', this.fonts.Bold as never);
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve, reject) => {
      doc.on('end', resolve);
      doc.on('error', reject);
    });
    SVGtoPDF(doc, this.svg(view), 0, 0, {
      width: PAGE.width,
      height: PAGE.height,
      // The template is laid out in points: without this, svg-to-pdfkit shrinks px to 0.75 pt.
      assumePt: true,
      fontCallback: (family: string) => (family.includes('Bold') ? 'Bold' : 'Regular'),
    });
    doc.end();
    await done;
    return Buffer.concat(chunks);
  }
}
