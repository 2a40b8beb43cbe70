import { masterPlaylist, parseMediaPlaylist, planLadder } from './video-ladder.js';

describe('planLadder', () => {
  it('makes every rung from a 720p source, never above 480p', () => {
    const plan = planLadder({ width: 1280, height: 720, fps: 30, hasAudio: true });
    expect(plan.map((r) => [r.name, r.width, r.height, r.fps])).toEqual([
      ['234p', 416, 234, 15],
      ['360p', 640, 360, 25],
      ['480p', 854, 480, 30],
    ]);
    expect(plan.map((r) => r.videoKbps + r.audioKbps)).toEqual([145, 365, 730]);
  });

  it('does not upscale: a 360p source stops at 360p', () => {
    expect(planLadder({ width: 640, height: 360, fps: 25, hasAudio: true }).map((r) => r.name)).toEqual([
      '234p',
      '360p',
    ]);
  });

  it('keeps a portrait phone video portrait, sized by its short side', () => {
    const plan = planLadder({ width: 720, height: 1280, fps: 30, hasAudio: true });
    expect(plan.map((r) => [r.width, r.height])).toEqual([
      [234, 416],
      [360, 640],
      [480, 854],
    ]);
  });

  it('gives a source smaller than the lowest rung one rendition at its own size', () => {
    expect(planLadder({ width: 320, height: 180, fps: 12, hasAudio: false })).toEqual([
      expect.objectContaining({ name: '180p', width: 320, height: 180, fps: 12 }),
    ]);
  });
});

describe('HLS playlists', () => {
  it('reads the init section and segment durations of a media playlist', () => {
    const text =
      '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:4.000000,\nseg-000.m4s\n#EXTINF:2.5,\nseg-001.m4s\n#EXT-X-ENDLIST\n';
    expect(parseMediaPlaylist(text)).toEqual({
      init: 'init.mp4',
      segments: [
        { uri: 'seg-000.m4s', seconds: 4 },
        { uri: 'seg-001.m4s', seconds: 2.5 },
      ],
    });
  });

  it('lists video variants lowest first and audio only last', () => {
    const master = masterPlaylist([
      {
        playlist: '360p/index.m3u8',
        peakBps: 400_000,
        averageBps: 360_000,
        width: 640,
        height: 360,
        fps: 25,
        hasVideo: true,
        hasAudio: true,
      },
      { playlist: 'audio/index.m3u8', peakBps: 52_000, averageBps: 50_000, hasVideo: false, hasAudio: true },
      {
        playlist: '234p/index.m3u8',
        peakBps: 160_000,
        averageBps: 140_000,
        width: 416,
        height: 234,
        fps: 15,
        hasVideo: true,
        hasAudio: true,
      },
    ]);
    const uris = master.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(uris).toEqual(['234p/index.m3u8', '360p/index.m3u8', 'audio/index.m3u8']);
    expect(master).toContain(
      'BANDWIDTH=160000,AVERAGE-BANDWIDTH=140000,RESOLUTION=416x234,FRAME-RATE=15.000,CODECS="avc1.4d401e,mp4a.40.2"',
    );
    expect(master).toContain('BANDWIDTH=52000,AVERAGE-BANDWIDTH=50000,CODECS="mp4a.40.2"');
  });
});
