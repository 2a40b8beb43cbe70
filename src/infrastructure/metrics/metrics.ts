import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PROCESS_ROLE, type ProcessRole } from '../config/config.module.js';
import { KeyedHistogram } from './keyed-histogram.js';

/** Seconds: from a cached page (milliseconds) to a slow transcode (minutes). */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * The process's Prometheus registry (prom-client). Each domain declares its own instruments here,
 * next to the code that feeds them; every name starts with `banso_`, and every series carries the
 * process role. Node's own process metrics (CPU, memory, event-loop lag, GC) come with it.
 * Served by MetricsServer on an internal port.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  constructor(@Inject(PROCESS_ROLE) role: ProcessRole) {
    this.registry.setDefaultLabels({ role });
    collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name: `banso_${name}`, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[] = DURATION_BUCKETS,
  ): Histogram<L> {
    return new Histogram({ name: `banso_${name}`, help, labelNames, buckets, registers: [this.registry] });
  }

  /** A histogram for one observation per request: cheaper to feed, same samples (keyed-histogram.ts). */
  keyedHistogram(
    name: string,
    help: string,
    labelNames: readonly string[],
    buckets: number[] = DURATION_BUCKETS,
  ): KeyedHistogram {
    const histogram = new KeyedHistogram(`banso_${name}`, help, labelNames, buckets);
    this.registry.registerMetric(histogram as never);
    return histogram;
  }

  /**
   * A gauge read when Prometheus scrapes. `collect` must not throw: a backend that is down gives
   * no sample (the readiness gauge says why), never a failed scrape.
   */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect?: (gauge: Gauge<L>) => Promise<void> | void,
  ): Gauge<L> {
    return new Gauge<L>({
      name: `banso_${name}`,
      help,
      labelNames,
      registers: [this.registry],
      ...(collect && {
        async collect(this: Gauge<L>) {
          this.reset();
          try {
            await collect(this);
          } catch {
            // Left empty for this scrape.
          }
        },
      }),
    });
  }
}
