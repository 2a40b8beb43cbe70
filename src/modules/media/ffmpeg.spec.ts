import { describeMediaTool } from './ffmpeg.js';

describe('describeMediaTool', () => {
  it('names a configured path as configured, without looking further', () => {
    expect(describeMediaTool('ffmpeg', '/opt/ffmpeg/bin/ffmpeg')).toEqual({
      source: 'configured',
      path: '/opt/ffmpeg/bin/ffmpeg',
    });
  });

  it('falls back to the npm-bundled binary when the system has none, and says so', () => {
    // An empty PATH: no system ffmpeg can be found.
    const found = describeMediaTool('ffmpeg', undefined, { PATH: '' });
    expect(found.source).toBe('bundled');
    expect(found.path).toMatch(/@ffmpeg-installer/);
    expect(describeMediaTool('ffprobe', undefined, { PATH: '' }).source).toBe('bundled');
  });

  it('probes the system once per process: later calls get the same answer without running ffmpeg again', () => {
    const first = describeMediaTool('ffmpeg');
    expect(first.source).not.toBe('missing');
    // The very same object: nothing was spawned for the second call.
    expect(describeMediaTool('ffmpeg')).toBe(first);
    // A test's own environment is always probed afresh.
    expect(describeMediaTool('ffmpeg', undefined, { PATH: '' })).not.toBe(first);
  });
});
