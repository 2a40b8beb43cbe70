import { Logger } from '@nestjs/common';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type AppConfig } from '../../config/app-config.js';
import { ConfigValidationError } from '../../config/environment.js';
import { useToolDatabase, useToolStorage } from '../../embedded/tool-services.js';
import { BackupError } from '../manifest.js';

/**
 * The shape both `backup` and `restore` share: one directory argument, `--help`, the platform's
 * configuration (DATABASE_URL, S3_*; without them the embedded services under DATA_DIR), and exit
 * codes 0 done, 1 failed (with the reason), 2 usage.
 */
export function runCommand(
  help: string,
  action: (config: AppConfig, dir: string, log: (line: string) => void) => Promise<void>,
): void {
  // The storage service logs through Nest; a command prints its own progress.
  Logger.overrideLogger(['error', 'warn']);
  const main = async (): Promise<number> => {
    let args;
    try {
      args = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
    } catch (e) {
      console.error(`${(e as Error).message}\n\n${help}`);
      return 2;
    }
    if (args.values.help) {
      console.log(help);
      return 0;
    }
    if (args.positionals.length !== 1) {
      console.error(help);
      return 2;
    }
    const config = loadConfig();
    const releaseDatabase = await useToolDatabase(config);
    try {
      const releaseStorage = await useToolStorage(config);
      try {
        await action(config, resolve(args.positionals[0]), console.log);
      } finally {
        await releaseStorage();
      }
    } finally {
      await releaseDatabase();
    }
    return 0;
  };
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      const error = e instanceof Error ? e : new Error(String(e));
      console.error(`Error: ${error.message}`);
      // A refusal explains itself; anything else (a connection refused, a bug) gets its trace too.
      if (!(e instanceof BackupError || e instanceof ConfigValidationError)) {
        console.error(error.stack?.split('\n').slice(1).join('\n'));
      }
      process.exit(1);
    },
  );
}
