import { RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../config/app-config.js';

/**
 * Structured pino logs. The request id is chosen once by Fastify (see request-id.ts) and stored
 * on the raw request, so HTTP logs, service logs and job payloads all carry the same id.
 */
export function loggerModule(config: AppConfig, role: string) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: config.logLevel,
      base: { role },
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? 'unknown',
      customAttributeKeys: { reqId: 'requestId' },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
      // The request line and the status: headers (a dozen security headers on every answer) made
      // each line several times longer and had to be redacted.
      serializers: {
        req: (req: { id?: string; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
      // Health probes (every few seconds from each balancer and orchestrator) are not logged. The
      // middleware sees the URL relative to its mount point: read the original.
      autoLogging: {
        ignore: (req: IncomingMessage & { originalUrl?: string }) =>
          (req.originalUrl ?? req.url ?? '').startsWith('/health/'),
      },
    },
    forRoutes: [{ path: '*', method: RequestMethod.ALL }],
  });
}
