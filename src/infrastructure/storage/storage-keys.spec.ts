import { StorageKeys } from './storage-keys.js';

describe('StorageKeys', () => {
  it('makes unique server-side upload keys under a dated prefix', () => {
    const now = new Date('2026-03-05T10:00:00Z');
    const a = StorageKeys.upload('video', 'MP4', now);
    const b = StorageKeys.upload('video', 'mp4', now);
    expect(a).toMatch(/^uploads\/video\/2026\/03\/[0-9a-f-]{36}\.mp4$/);
    expect(a).not.toEqual(b);
  });

  it('refuses path traversal and odd characters in any segment', () => {
    expect(() => StorageKeys.mediaFile('../etc', 'passwd')).toThrow(/Unsafe/);
    expect(() => StorageKeys.mediaFile('abc', '../../x')).toThrow(/Unsafe/);
    expect(() => StorageKeys.certificateFile('NBS-LCI-2026-000123', 'a b.pdf')).toThrow(/Unsafe/);
    expect(StorageKeys.certificateFile('NBS-LCI-2026-000123', 'certificate.pdf')).toBe(
      'certificates/nbs-lci-2026-000123/certificate.pdf',
    );
  });
});
