import { parseWebVtt, WebVttError } from './webvtt.js';

const ok = `WEBVTT - Trả tiền điện

NOTE phụ đề tiếng H'Mông

1
00:00.000 --> 00:03.500 line:90%
Them nqi hluav taws xob
hauv xov tooj

00:03.500 --> 00:07.000
Qhib app EVN
`;

function lineOf(input: string): number {
  try {
    parseWebVtt(input);
  } catch (e) {
    if (e instanceof WebVttError) return e.line;
  }
  return -1;
}

describe('parseWebVtt', () => {
  it('reads cues with identifiers, settings, notes and multi-line text', () => {
    expect(parseWebVtt(ok)).toEqual([
      { start: 0, end: 3.5, text: 'Them nqi hluav taws xob\nhauv xov tooj' },
      { start: 3.5, end: 7, text: 'Qhib app EVN' },
    ]);
    expect(parseWebVtt('\uFEFFWEBVTT\r\n\r\n01:02:03.000 --> 01:02:04.250\r\nXin chào\r\n')).toEqual([
      { start: 3723, end: 3724.25, text: 'Xin chào' },
    ]);
  });

  it('names the line of the first problem', () => {
    expect(lineOf('WEBVT\n\n00:00.000 --> 00:01.000\nx')).toBe(1);
    expect(lineOf('WEBVTT\n\n00:00.000 --> 00:01,000\nx')).toBe(3);
    expect(lineOf('WEBVTT\n\n00:02.000 --> 00:01.000\nx')).toBe(3);
    expect(lineOf('WEBVTT\n\n00:01.000 --> 00:02.000\nx\n\n00:00.500 --> 00:00.900\nback in time')).toBe(6);
    expect(lineOf('WEBVTT\n\n00:00.000 --> 00:01.000\n')).toBe(4);
    expect(lineOf('WEBVTT\n\ncue-1\nnot a timing\nx')).toBe(3);
    expect(lineOf('WEBVTT\n\n00:00.000 --> 00:01.000\nx\n00:01.000 --> 00:02.000\ny')).toBe(5);
    expect(lineOf('WEBVTT\n')).toBe(2);
  });
});
