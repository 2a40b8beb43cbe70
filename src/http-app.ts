import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import handlebars from 'handlebars';
import { Logger, PinoLogger } from 'nestjs-pino';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as zlib } from 'node:zlib';
import { AppModule } from './app.module.js';
import { AuthService } from './modules/identity/auth.service.js';
import { authenticate, SESSION_COOKIE } from './modules/identity/guards/auth.guard.js';
import { hasRole } from './infrastructure/auth/roles.js';
import { registerPortalTemplates } from './modules/portal/shell/portal-handlebars.js';
import type { AppConfig } from './infrastructure/config/app-config.js';
import { mountQueueDashboard, QUEUE_DASHBOARD_PATH } from './infrastructure/queue/queue-dashboard.js';
import { BODY_LIMITS, installBodyIntake } from './infrastructure/http/body-intake.js';
import { answerClientError, answerFrameworkError } from './infrastructure/http/client-errors.js';
import { installLiveness } from './infrastructure/health/liveness.js';
import { httpMetrics } from './infrastructure/http/http-metrics.js';
import { installRequestPipeline } from './infrastructure/http/request-pipeline.js';
import { ResponseCache } from './infrastructure/http/response-cache.js';
import { Metrics } from './infrastructure/metrics/metrics.js';
import { setupApiDocs } from './infrastructure/http/api-docs.js';
import { generateRequestId } from './infrastructure/http/request-id.js';
import { securityHeaders } from './infrastructure/http/security-headers.js';
import { requestLogging } from './infrastructure/logging/request-logging.js';
import { STORAGE_GATEWAY_PATH, storageGateway } from './infrastructure/storage/storage-gateway.js';

/** Source folders read at run time (templates, assets), found from src/ or dist/src/. */
const srcRoot = dirname(fileURLToPath(import.meta.url)).replace(`${join('dist', 'src')}`, 'src');

/** Builds the HTTP role: Nest on Fastify with security headers, CSRF, docs and the queue dashboard. */
export async function createHttpApp(config: AppConfig, options: { runWorkers: boolean }) {
  const adapter = new FastifyAdapter({
    trustProxy: config.trustProxy,
    genReqId: generateRequestId,
    // Routes that need more say so with @BodyLimit (body-intake.ts).
    bodyLimit: BODY_LIMITS.default,
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    logger: false,
    // No Express-style middleware anywhere (requests are logged by Fastify hooks): no middie.
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    bufferLogs: true,
    abortOnError: false,
    // Our own parsers: bounded depth and size before anything else runs (body-intake.ts).
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // Storage links point at the store's public address, or at our own (storage-gateway.ts), which
  // may differ from the page's origin (a laptop's own browser on localhost, links for the hall's
  // address).
  const linkOrigins = [new URL(config.s3.publicUrl ?? config.publicBaseUrl).origin];

  const headers = securityHeaders({
    hsts: config.publicBaseUrl.startsWith('https://')
      ? { maxAge: 31_536_000, includeSubDomains: true }
      : false,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Swagger UI sets inline styles; no inline scripts anywhere.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', ...linkOrigins],
        mediaSrc: ["'self'", 'blob:', ...linkOrigins],
        connectSrc: ["'self'", ...linkOrigins],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: config.publicBaseUrl.startsWith('https://') ? [] : null,
      },
    },
  });
  const logger = app.get(Logger);
  installBodyIntake(fastify);
  // CSRF: portal forms always; API calls only when authenticated by the session cookie (bearer
  // clients are immune). The queue dashboard checks the Origin instead (queue-dashboard.ts).
  // Safe methods never reach this (request-pipeline.ts).
  const csrfCheck = (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    const path = req.url.split('?')[0];
    if (path.startsWith(QUEUE_DASHBOARD_PATH)) return done();
    // A storage link carries its own permission: a signature for one file (storage-gateway.ts).
    if (path.startsWith(`${STORAGE_GATEWAY_PATH}/`)) return done();
    const cookieSession = !req.headers.authorization && !!req.cookies?.[SESSION_COOKIE];
    if (path.startsWith('/api/') && !cookieSession) return done();
    fastify.csrfProtection(req, reply, done);
  };
  installRequestPipeline(fastify, {
    securityHeaders: headers,
    logging: requestLogging(await app.resolve(PinoLogger)),
    logRefusal: (entry) => logger.warn(entry, 'HTTP'),
    observe: httpMetrics(app.get(Metrics)),
    csrf: csrfCheck,
    cache: app.get(ResponseCache),
  });
  // Cross-origin API clients only where configured; otherwise no CORS hook at all (answers carry no
  // CORS headers and preflights find no route, as @fastify/cors with `origin: false` answers them).
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      credentials: true,
      exposedHeaders: ['x-request-id', 'retry-after', 'etag'],
    });
  }
  await app.register(compress as never, {
    threshold: 256,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });
  await app.register(cookie as never, { secret: config.auth.cookieSecret });
  await app.register(csrf as never, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: config.auth.secureCookies,
    },
    getToken: (req: FastifyRequest) =>
      (req.headers['x-csrf-token'] as string | undefined) ??
      (req.body as { _csrf?: string } | undefined)?._csrf,
  });
  if (!config.s3.publicUrl) await app.register(storageGateway(config) as never);

  // Subtitles are uploaded as the WebVTT text itself.
  fastify.addContentTypeParser(
    'text/vtt',
    { parseAs: 'string', bodyLimit: 512 * 1024 },
    (_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) =>
      done(null, body),
  );

  await app.register(fastifyStatic as never, {
    root: join(srcRoot, 'modules', 'portal', 'assets'),
    prefix: '/assets/',
    // Pages link assets with ?v=<content hash>, so browsers may keep them for a year.
    maxAge: '365d',
    immutable: true,
    decorateReply: false,
  });
  const templates = join(srcRoot, 'modules', 'portal', 'templates');
  registerPortalTemplates(handlebars, templates);
  app.setViewEngine({
    engine: { handlebars },
    templates,
    layout: 'layouts/main',
    viewExt: 'hbs',
    production: config.nodeEnv !== 'development',
  } as never);

  const auth = app.get(AuthService);
  await mountQueueDashboard(
    app,
    async (request) => {
      const principal = await authenticate(request, auth);
      if (!principal) return 'anonymous';
      return hasRole(principal, 'admin') ? 'admin' : 'forbidden';
    },
    [new URL(config.publicBaseUrl).origin],
  );

  setupApiDocs(app, SESSION_COOKIE);
  // A Fastify route keeps the error handler in place when it is added, and Nest puts its own
  // (AllExceptionsFilter's) there during init: the liveness route comes after it.
  await app.init();
  installLiveness(fastify);
  return app;
}
