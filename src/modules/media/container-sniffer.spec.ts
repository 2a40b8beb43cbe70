import { sniffVideoContainer } from './container-sniffer.js';

const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc(200 - b.length)]);

describe('sniffVideoContainer', () => {
  it('recognises MP4/MOV/3GP, WebM/MKV, AVI, MPEG-TS by their first bytes', () => {
    expect(sniffVideoContainer(pad(Buffer.from('\0\0\0\x20ftypisom', 'latin1')))).toBe('iso-bmff');
    expect(sniffVideoContainer(pad(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])))).toBe('matroska');
    expect(sniffVideoContainer(pad(Buffer.from('RIFF\0\0\0\0AVI LIST', 'latin1')))).toBe('avi');
    const ts = Buffer.alloc(400);
    ts[0] = 0x47;
    ts[188] = 0x47;
    expect(sniffVideoContainer(ts)).toBe('mpeg-ts');
  });

  it('refuses what is not a video, whatever it was called', () => {
    expect(sniffVideoContainer(pad(Buffer.from('%PDF-1.7\n')))).toBeNull();
    expect(sniffVideoContainer(pad(Buffer.from([0xff, 0xd8, 0xff, 0xe0])))).toBeNull(); // JPEG
    expect(sniffVideoContainer(pad(Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1')))).toBeNull();
    expect(sniffVideoContainer(Buffer.from('tiny'))).toBeNull();
  });
});
