import { ResponseCache } from './response-cache.js';

const answer = (json: string) => ({ json, etag: `W/"${json.length}"`, maxAgeSeconds: 60 });

describe('ResponseCache', () => {
  it('keeps an answer for its time, then forgets it', () => {
    const cache = new ResponseCache();
    cache.set('/api/v1/courses', answer('{"items":[]}'), 5000, 0, 1_000);
    expect(cache.get('/api/v1/courses', 5_999)).toEqual(expect.objectContaining({ json: '{"items":[]}' }));
    expect(cache.get('/api/v1/courses', 6_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('tells URLs apart exactly and forgets everything when cleared', () => {
    const cache = new ResponseCache();
    cache.set('/api/v1/courses?page=1', answer('a'), 5000, 0, 0);
    cache.set('/api/v1/courses?page=2', answer('b'), 5000, 0, 0);
    expect(cache.get('/api/v1/courses?page=1', 1)?.json).toBe('a');
    expect(cache.get('/api/v1/courses?page=01', 1)).toBeUndefined();
    cache.clear();
    expect(cache.get('/api/v1/courses?page=1', 1)).toBeUndefined();
  });

  it('holds at most 2,000 answers and 32 MB, dropping the oldest first', () => {
    const cache = new ResponseCache();
    for (let i = 0; i < 2100; i++) cache.set(`/c?i=${i}`, answer('x'), 60_000, 0, 0);
    expect(cache.size).toBe(2000);
    expect(cache.get('/c?i=0', 1)).toBeUndefined();
    expect(cache.get('/c?i=2099', 1)?.json).toBe('x');

    const big = 'y'.repeat(5 * 1024 * 1024);
    for (let i = 0; i < 8; i++) cache.set(`/big?i=${i}`, answer(big), 60_000, 0, 0);
    // 8 × 5 MB would pass 32 MB: the oldest went (the small ones first, then the first big ones).
    expect(cache.get('/c?i=2099', 1)).toBeUndefined();
    expect(cache.get('/big?i=0', 1)).toBeUndefined();
    expect(cache.get('/big?i=7', 1)?.json).toBe(big);
    expect(cache.size).toBe(6);
  });

  it('does not keep an answer made from data read before a clear', () => {
    const cache = new ResponseCache();
    const before = cache.generation;
    // A publication clears the cache while a read that started earlier is still being answered.
    cache.clear();
    cache.set('/api/v1/courses', answer('stale'), 5000, before, 0);
    expect(cache.get('/api/v1/courses', 1)).toBeUndefined();
    cache.set('/api/v1/courses', answer('fresh'), 5000, cache.generation, 0);
    expect(cache.get('/api/v1/courses', 1)?.json).toBe('fresh');
  });

  it('replaces an answer kept under the same URL', () => {
    const cache = new ResponseCache();
    cache.set('/u', answer('old'), 60_000, 0, 0);
    cache.set('/u', answer('new'), 60_000, 0, 0);
    expect(cache.size).toBe(1);
    expect(cache.get('/u', 1)?.json).toBe('new');
  });
});
