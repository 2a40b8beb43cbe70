/** One series: observations per bucket (not cumulative; the last counts those above every bound). */
interface Series {
  labels: Record<string, string>;
  counts: number[];
  sum: number;
  count: number;
}

type Level = Map<string, Level | Series>;

/**
 * A Prometheus histogram for the hottest instrument, one observation per HTTP answer. prom-client's
 * Histogram validates and hashes its label object on every observation (3 % of a liveness probe's
 * CPU, docs/decisions.md "The request path"); this one finds its series through one map per label
 * value. Registered in prom-client's registry as a metric (`get()` in prom-client's shape), so it
 * is scraped, labelled with the default labels and reset like the others.
 */
export class KeyedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private series: Level = new Map();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly bounds: readonly number[],
  ) {}

  /** Counts `value` in the series of `labelValues` (one per label name, in their order). */
  observe(labelValues: readonly string[], value: number): void {
    let level = this.series;
    const last = labelValues.length - 1;
    for (let i = 0; i < last; i++) {
      let next = level.get(labelValues[i]) as Level | undefined;
      if (!next) level.set(labelValues[i], (next = new Map()));
      level = next;
    }
    let series = level.get(labelValues[last]) as Series | undefined;
    if (!series) {
      const labels = Object.fromEntries(this.labelNames.map((name, i) => [name, labelValues[i]]));
      series = { labels, counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 };
      level.set(labelValues[last], series);
    }
    let bucket = 0;
    while (bucket < this.bounds.length && value > this.bounds[bucket]) bucket++;
    series.counts[bucket]++;
    series.sum += value;
    series.count++;
  }

  reset(): void {
    this.series = new Map();
  }

  /** The samples, as prom-client's registry reads them: cumulative buckets, +Inf, sum and count. */
  get() {
    // prom-client's own shape: the series' labels as `sharedLabels`, `le` alone in `labels`.
    const values: {
      labels: Record<string, string | number>;
      sharedLabels: Record<string, string>;
      value: number;
      metricName: string;
    }[] = [];
    const visit = (level: Level, depth: number) => {
      for (const entry of level.values()) {
        if (depth < this.labelNames.length - 1) {
          visit(entry as Level, depth + 1);
          continue;
        }
        const { labels, counts, sum, count } = entry as Series;
        let cumulative = 0;
        this.bounds.forEach((bound, i) => {
          cumulative += counts[i];
          values.push({
            labels: { le: bound },
            sharedLabels: labels,
            value: cumulative,
            metricName: `${this.name}_bucket`,
          });
        });
        values.push(
          { labels: { le: '+Inf' }, sharedLabels: labels, value: count, metricName: `${this.name}_bucket` },
          { labels: {}, sharedLabels: labels, value: sum, metricName: `${this.name}_sum` },
          { labels: {}, sharedLabels: labels, value: count, metricName: `${this.name}_count` },
        );
      }
    };
    visit(this.series, 0);
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
