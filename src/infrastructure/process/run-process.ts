import { ConfigValidationError } from '../config/environment.js';

/** Runs a process entry point; a start-up failure prints one clear message and exits 1. */
export function runProcess(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigValidationError) {
      console.error(`${name}: ${error.message}`);
    } else {
      console.error(`${name} failed to start:`, error);
    }
    process.exit(1);
  });
}

/** Runs `shutdown` once on SIGINT/SIGTERM; a second signal forces the exit. */
export function onShutdownSignal(shutdown: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) {
      console.error('Forced exit.');
      process.exit(130);
    }
    stopping = true;
    shutdown(signal).then(
      () => process.exit(0),
      (e) => {
        console.error('Shutdown failed:', e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
