interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for request handlers: items submitted while earlier batches are running are handed
 * to `run` together when a slot frees up. An item submitted to an idle batcher runs at once, alone,
 * so a quiet system pays no extra latency; a busy one does one transaction per batch instead of
 * one per request. If a batch of several fails, each item is tried again on its own, so one bad
 * item cannot fail its neighbours.
 */
export class MicroBatcher<T, R> {
  private readonly waiting: Waiting<T, R>[] = [];
  private running = 0;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly options: {
      /** Batches in flight at once (each holds one database connection). */
      concurrency: number;
      /** Most total weight in one batch (e.g. events, not requests). */
      maxWeight: number;
      weight: (item: T) => number;
    },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.options.concurrency && this.waiting.length > 0) {
      const batch = [this.waiting.shift()!];
      let weight = this.options.weight(batch[0].item);
      while (
        this.waiting.length > 0 &&
        weight + this.options.weight(this.waiting[0].item) <= this.options.maxWeight
      ) {
        const w = this.waiting.shift()!;
        weight += this.options.weight(w.item);
        batch.push(w);
      }
      this.running += 1;
      void this.execute(batch).finally(() => {
        this.running -= 1;
        this.next();
      });
    }
  }

  private async execute(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.run(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const w of batch) {
        await this.run([w.item]).then(
          ([result]) => w.resolve(result),
          (e: unknown) => w.reject(e),
        );
      }
    }
  }
}
