/**
 * WebVTT validation for subtitles (https://www.w3.org/TR/webvtt1/), strict enough to catch what
 * breaks players: the header, cue timings, end after start, cues in order. Errors name the line.
 */
export interface WebVttCue {
  start: number;
  end: number;
  text: string;
}

export class WebVttError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const TIMESTAMP = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;

function seconds(stamp: string, line: number): number {
  const m = TIMESTAMP.exec(stamp);
  if (!m) throw new WebVttError(line, `"${stamp}" is not a timestamp like 00:01.500 or 01:02:03.000`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

export const MAX_WEBVTT_BYTES = 512 * 1024;

/** Parses a WebVTT file; throws WebVttError with the 1-based line of the first problem. */
export function parseWebVtt(input: string): WebVttCue[] {
  if (Buffer.byteLength(input, 'utf8') > MAX_WEBVTT_BYTES)
    throw new WebVttError(1, 'the file is larger than 512 KB');
  const lines = input.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) {
    throw new WebVttError(1, 'a WebVTT file must start with "WEBVTT"');
  }
  const cues: WebVttCue[] = [];
  let i = 1;
  // Header block: everything up to the first blank line.
  while (i < lines.length && lines[i].trim() !== '') i++;
  while (i < lines.length) {
    while (i < lines.length && lines[i].trim() === '') i++;
    if (i >= lines.length) break;
    const blockStart = i;
    if (/^(NOTE|STYLE|REGION)(\s|$)/.test(lines[i])) {
      while (i < lines.length && lines[i].trim() !== '') i++;
      continue;
    }
    // Optional cue identifier, then the timing line.
    let timing = lines[i];
    if (!timing.includes('-->')) {
      i++;
      timing = lines[i] ?? '';
      if (!timing.includes('-->'))
        throw new WebVttError(blockStart + 1, 'expected a cue timing line like "00:00.000 --> 00:02.000"');
    }
    const lineNo = i + 1;
    const [left, rightWithSettings] = timing.split('-->').map((s) => s.trim());
    const right = (rightWithSettings ?? '').split(/[ \t]+/)[0];
    const start = seconds(left, lineNo);
    const end = seconds(right, lineNo);
    if (end <= start) throw new WebVttError(lineNo, 'the cue ends before it starts');
    if (cues.length > 0 && start < cues[cues.length - 1].start)
      throw new WebVttError(lineNo, 'cues must be in time order');
    i++;
    const text: string[] = [];
    while (i < lines.length && lines[i].trim() !== '') {
      if (lines[i].includes('-->')) throw new WebVttError(i + 1, 'a blank line must separate cues');
      text.push(lines[i]);
      i++;
    }
    if (text.length === 0) throw new WebVttError(lineNo + 1, 'the cue has no text');
    cues.push({ start, end, text: text.join('\n') });
  }
  if (cues.length === 0) throw new WebVttError(lines.length, 'the file has no cues');
  return cues;
}
