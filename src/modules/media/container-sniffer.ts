/** The video containers we accept, recognised by their first bytes (never by name or declared type). */
export type VideoContainer = 'iso-bmff' | 'matroska' | 'avi' | 'mpeg-ts' | 'mpeg-ps' | 'flv' | 'asf';

const ascii = (b: Buffer, from: number, to: number) => b.subarray(from, to).toString('latin1');

/** Needs at least the first 192 bytes of the file (fewer for most formats). */
export function sniffVideoContainer(head: Buffer): VideoContainer | null {
  if (head.length < 12) return null;
  // MP4, MOV, 3GP, M4V: a box size then a box type; old QuickTime files may start with other boxes.
  if (['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip'].includes(ascii(head, 4, 8))) return 'iso-bmff';
  if (head.readUInt32BE(0) === 0x1a45dfa3) return 'matroska';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'AVI ') return 'avi';
  if (head[0] === 0x47 && head.length > 188 && head[188] === 0x47) return 'mpeg-ts';
  if (head.readUInt32BE(0) === 0x000001ba) return 'mpeg-ps';
  if (ascii(head, 0, 3) === 'FLV') return 'flv';
  if (head.readUInt32BE(0) === 0x3026b275) return 'asf';
  return null;
}
