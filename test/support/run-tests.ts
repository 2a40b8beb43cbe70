import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runScript, startPlatform, type PlatformProcess } from './platform-process.js';
import { startTestServices } from './test-services.js';

/**
 * `npm test`: starts the backing services (real ones named by the environment, embedded ones
 * otherwise), migrates and seeds, starts one API and one worker process, runs Jest against them,
 * then stops everything. Arguments are passed to Jest; without --selectProjects it runs the unit,
 * service and e2e projects (`npm run test:browser` selects the browser project). The service tests
 * (test/services) load the domain services in Jest's own process against the same services.
 */
async function main(): Promise<number> {
  const started = Date.now();
  const services = await startTestServices();
  const processes: PlatformProcess[] = [];
  const stopAll = async () => {
    for (const p of [...processes].reverse()) await p.stop('SIGTERM');
    await services.stop();
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    const seed = await runScript('dist/seeds/run-seeds.js', services.env);
    if (seed.code !== 0) throw new Error(`seeding failed:\n${seed.output}`);
    processes.push(await startPlatform('api', services.env));
    processes.push(await startPlatform('worker', services.env));
    console.log(
      `e2e against ${services.describe} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );

    const resultsFile = join(services.env.DATA_DIR, '..', 'jest-results.json');
    const jest = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
        '--runInBand',
        '--json',
        `--outputFile=${resultsFile}`,
        // Files named on the command line come first: `--selectProjects` would take them as names.
        ...process.argv.slice(2),
        // Browser tests need Debian's Chromium: `npm run test:browser` runs them on their own.
        ...(process.argv.includes('--selectProjects') ? [] : ['--selectProjects', 'unit', 'service', 'e2e']),
      ],
      {
        cwd: ROOT,
        stdio: 'inherit',
        env: {
          ...process.env,
          NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules'].filter(Boolean).join(' '),
          BANSO_TEST_API_URL: processes[0].url,
          BANSO_TEST_ENV: JSON.stringify(services.env),
        },
      },
    );
    const code = await new Promise<number>((resolve) => jest.on('exit', (c) => resolve(c ?? 1)));
    try {
      // One plain closing line that any CI reader understands.
      const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
      console.log(
        `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`,
      );
    } catch {
      console.log('tests: 0 passed, 1 failed (no Jest results)');
    }
    if (code !== 0) {
      for (const p of processes) console.error(`--- last output of ${p.url} ---\n${p.output().slice(-3000)}`);
    }
    return code;
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
