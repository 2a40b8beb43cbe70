import { MicroBatcher } from './micro-batcher.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('MicroBatcher', () => {
  it('runs an item at once when idle and groups what arrives while busy', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
        return items.map((x) => x * 10);
      },
      { concurrency: 1, maxWeight: 100, weight: () => 1 },
    );
    const first = batcher.submit(1);
    await tick();
    expect(batches).toEqual([[1]]);
    const rest = [2, 3, 4].map((x) => batcher.submit(x));
    await tick();
    expect(batches).toEqual([[1]]);
    release();
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('keeps a batch within the weight limit (an item heavier than the limit still runs alone)', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
        return items;
      },
      { concurrency: 1, maxWeight: 5, weight: (x) => x },
    );
    const all = [1, 2, 2, 3, 9, 1].map((x) => batcher.submit(x));
    await tick();
    release();
    await Promise.all(all);
    expect(batches).toEqual([[1], [2, 2], [3], [9], [1]]);
  });

  it('retries each item alone when a batch fails, so one bad item fails only itself', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        calls += 1;
        if (calls === 1) await gate;
        if (items.includes(13)) throw new Error('unlucky');
        return items;
      },
      { concurrency: 1, maxWeight: 100, weight: () => 1 },
    );
    const first = batcher.submit(1);
    const results = [2, 13, 4].map((x) => batcher.submit(x).then(String, (e: Error) => e.message));
    release();
    await first;
    expect(await Promise.all(results)).toEqual(['2', 'unlucky', '4']);
  });
});
