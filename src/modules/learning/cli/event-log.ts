import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../../../infrastructure/config/app-config.js';
import { ConfigValidationError } from '../../../infrastructure/config/environment.js';
import { useToolDatabase, useToolStorage } from '../../../infrastructure/embedded/tool-services.js';
import { StorageService } from '../../../infrastructure/storage/storage.service.js';
import { EventLogArchive, EventLogError, ensureEventPartitions } from '../event-log.js';

const HELP = `The progress event log's months: list them, archive old ones to object storage, bring one back.

Usage: npm run event-log -- COMMAND        (in the image: event-log COMMAND)

  list                     every month: in the database (estimated rows, size) or archived
  archive --before YYYY-MM archive every month before YYYY-MM (never the current month)
  restore YYYY-MM          bring an archived month back into the database
  -h, --help               this text

An archived month leaves the database; its events' ids stay, so a phone replaying those events
later is still told they are duplicates. The archive is the month's rows in PostgreSQL's COPY
format, gzipped, in the "archive" bucket (progress-events/YYYY-MM.copy.gz), with its SHA-256 kept
in the database and checked before a restore. Reads the platform's configuration (DATABASE_URL,
S3_*; without them the embedded services under DATA_DIR).

Exit code: 0 done, 1 refused or failed (the reason is printed), 2 usage.`;

Logger.overrideLogger(['error', 'warn']);

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' }, before: { type: 'string' } },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.values.help) {
    console.log(HELP);
    return 0;
  }
  const [command, month, ...rest] = args.positionals;
  const usable =
    rest.length === 0 &&
    ((command === 'list' && !month && !args.values.before) ||
      (command === 'archive' && !month && args.values.before) ||
      (command === 'restore' && month && !args.values.before));
  if (!usable) {
    console.error(HELP);
    return 2;
  }

  const config = loadConfig();
  const releaseDatabase = await useToolDatabase(config);
  const client = new pg.Client({ connectionString: config.databaseUrl, application_name: 'banso-event-log' });
  try {
    await client.connect();
    const releaseStorage = await useToolStorage(config);
    try {
      const storage = new StorageService(config);
      await storage.ensureBuckets();
      const archive = new EventLogArchive(client, storage, console.log);
      if (command === 'list') {
        await ensureEventPartitions({
          query: async (text, params) => (await client.query(text, params)).rows,
        });
        for (const m of await archive.months()) {
          const size = `${(m.bytes / 1e6).toFixed(1)} MB`;
          console.log(
            m.where === 'archive'
              ? `${m.month}  archived   ${m.rows} events, ${size}, ${m.objectKey}`
              : `${m.month}  database  ~${m.rows} events, ${size}`,
          );
        }
      } else if (command === 'archive') {
        const done = await archive.archiveBefore(args.values.before!);
        console.log(done.length ? `Archived ${done.length} month(s).` : 'Nothing to archive.');
      } else {
        await archive.restore(month!);
      }
    } finally {
      await releaseStorage();
    }
  } finally {
    await client.end().catch(() => undefined);
    await releaseDatabase();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const error = e instanceof Error ? e : new Error(String(e));
    console.error(`Error: ${error.message}`);
    if (!(e instanceof EventLogError || e instanceof ConfigValidationError))
      console.error(error.stack?.split('\n').slice(1).join('\n'));
    process.exit(1);
  },
);
