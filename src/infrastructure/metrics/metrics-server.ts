import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from './metrics.js';

/**
 * `GET /metrics` on an internal port (METRICS_PORT, on METRICS_HOST, 127.0.0.1 unless set), never
 * on the public one: the proxy in front of the API does not know the port, so nothing outside the
 * private network reaches it. METRICS_TOKEN adds a bearer token on top. Every role serves its
 * own, the workers included (their job durations exist only there).
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port, host, token } = this.config.metrics;
    if (port === undefined) return;
    const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: try GET /metrics\n');
        return;
      }
      const given = Buffer.from(req.headers.authorization ?? '');
      if (expected && !(given.length === expected.length && timingSafeEqual(given, expected))) {
        res
          .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' })
          .end('Unauthorized\n');
        return;
      }
      this.metrics.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(body),
        (e: Error) =>
          res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' }).end(`${e.message}\n`),
      );
    });
    this.server.headersTimeout = 5_000;
    this.server.requestTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject).listen(port, host, () => resolve());
    });
    this.logger.log(`Metrics on http://${host}:${port}/metrics${token ? ' (bearer token)' : ''}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}
