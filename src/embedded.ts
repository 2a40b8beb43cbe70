import 'reflect-metadata';
import { loadConfig } from './infrastructure/config/app-config.js';
import { startEmbeddedServices } from './infrastructure/embedded/embedded-services.js';
import { onShutdownSignal, runProcess } from './infrastructure/process/run-process.js';

/**
 * `npm start`: the whole platform on one machine with nothing installed. Embedded PostgreSQL
 * (also the queue backend unless REDIS_URL is set) and a local S3 server, data under DATA_DIR;
 * API and worker in one process. Any of DATABASE_URL, REDIS_URL, S3_ENDPOINT switches that piece
 * to the real service.
 */
runProcess('banso', async () => {
  const log = (m: string) => console.log(`[banso] ${m}`);
  const started = Date.now();
  const base = loadConfig();
  const services = await startEmbeddedServices(base, log);
  const [
    { createHttpApp },
    { seedReferenceData },
    { seedCourses, seedSampleVideos },
    { seedProgrammes },
    { DataSource },
    { QUEUE_DASHBOARD_PATH },
  ] = await Promise.all([
    import('./http-app.js'),
    import('../seeds/reference-data.seed.js'),
    import('../seeds/courses.seed.js'),
    import('../seeds/programmes.seed.js'),
    import('typeorm'),
    import('./infrastructure/queue/queue-dashboard.js'),
  ]);
  const config = services.config;
  config.runMigrations = true;

  const running: { app?: { close(): Promise<void> } } = {};
  onShutdownSignal(async (signal) => {
    log(`${signal} received, stopping…`);
    // Ctrl-C reaches embedded PostgreSQL too, which then ends every connection ("57P01 admin
    // shutdown"); a client with no error listener (a queue's LISTEN connection) would crash us
    // half-way through the shutdown. Those errors are expected now; anything else still is not.
    process.on('uncaughtException', (e: Error & { code?: string }) => {
      if (e.code === '57P01') return;
      console.error('Shutdown failed:', e);
      process.exit(1);
    });
    // Ctrl-C in a terminal also reaches embedded PostgreSQL (same process group), so connections
    // may already be closing under us: finish the shutdown anyway.
    await running.app?.close().catch((e: Error) => log(`while closing: ${e.message}`));
    await services.stop();
    log('Stopped cleanly.');
  });

  const http = await createHttpApp(config, { runWorkers: true });
  running.app = http;
  await http.init(); // lifecycle hooks first: storage buckets must exist before seeding
  if (config.seedOnFirstStart) {
    await seedReferenceData(http.get(DataSource));
    const courses = await seedCourses(http);
    if (courses.created > 0) log(`Seeded ${courses.created} course(s).`);
    await seedProgrammes(http.get(DataSource));
  }
  await http.listen({ port: config.port, host: config.host });
  if (config.seedOnFirstStart) {
    // In the background: the platform is usable while ffmpeg makes the seed lessons' videos.
    void seedSampleVideos(http).then(
      (made) => made > 0 && log(`Made ${made} sample video(s); the worker is transcoding them.`),
      (e: Error) => log(`Sample videos not made now (${e.message}); the next start will retry.`),
    );
  }

  const url = config.publicBaseUrl;
  // A commune hall: phones on this laptop's Wi-Fi open the portal from a QR code on the screen.
  const hall = !/^https?:\/\/(localhost|127\.0\.0\.1)[:/]/.test(`${url}/`)
    ? [
        `  Phones on this network open ${url}/ — or scan:`,
        await import('qrcode').then((qr) =>
          qr.default.toString(`${url}/`, { type: 'terminal', small: true }),
        ),
      ]
    : [];
  console.log(
    [
      '',
      `  Bản Số is running (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      `  Portal           ${url}/`,
      `  API docs         ${url}/api/docs`,
      `  Queue dashboard  ${url}${QUEUE_DASHBOARD_PATH}  (admins)`,
      `  Health           ${url}/health/ready`,
      `  Data             ${config.dataDir}`,
      ...services.started.map((s) => `  Started          ${s}`),
      `  Queues on        ${config.redisUrl ? 'Redis' : 'PostgreSQL'}`,
      ...hall,
      '  Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
});
