import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config.js';

/**
 * Structured pino logs. The request id is chosen once by Fastify (see request-id.ts), so HTTP
 * logs, service logs and job payloads all carry the same id. Request lines are written by Fastify
 * hooks (request-logging.ts); this module gives Nest and the services their logger. Headers are
 * never logged (the serializers keep a request's id, method and URL and a response's status), so
 * nothing needs redacting.
 */
export function loggerModule(config: AppConfig, role: string) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: config.logLevel,
      base: { role },
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
    },
    // No middleware: requests are logged by Fastify hooks (request-logging.ts).
    forRoutes: [],
  });
}
