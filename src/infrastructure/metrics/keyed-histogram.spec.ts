import { Histogram, Registry } from 'prom-client';
import { KeyedHistogram } from './keyed-histogram.js';

const BOUNDS = [0.01, 0.1, 1];

/** The same observations into prom-client's Histogram and ours give the same exposition text. */
describe('KeyedHistogram', () => {
  it('exposes what prom-client’s Histogram exposes for the same observations', async () => {
    const theirs = new Registry();
    const ours = new Registry();
    theirs.setDefaultLabels({ role: 'api' });
    ours.setDefaultLabels({ role: 'api' });
    const reference = new Histogram({
      name: 'h',
      help: 'help',
      labelNames: ['route', 'status'],
      buckets: BOUNDS,
      registers: [theirs],
    });
    const keyed = new KeyedHistogram('h', 'help', ['route', 'status'], BOUNDS);
    ours.registerMetric(keyed as never);
    const observations: [string, string, number][] = [
      ['/a', '200', 0.005],
      ['/a', '200', 0.01],
      ['/a', '200', 0.5],
      ['/a', '404', 3],
      ['/b/:id', '200', 0.1],
      ['unmatched', '404', 0.0001],
    ];
    for (const [route, status, value] of observations) {
      reference.observe({ route, status }, value);
      keyed.observe([route, status], value);
    }
    const lines = async (registry: Registry) => (await registry.metrics()).split('\n').sort();
    expect(await lines(ours)).toEqual(await lines(theirs));
    expect((await ours.metrics()).split('\n')).toContain(
      'h_bucket{le="0.01",role="api",route="/a",status="200"} 2',
    );

    ours.resetMetrics();
    expect(await ours.metrics()).not.toContain('h_count');
  });
});
