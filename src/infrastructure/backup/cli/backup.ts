import 'reflect-metadata';
import { runBackup } from '../backup.js';
import { runCommand } from './command.js';

const HELP = `Backs up Bản Số: the database and every stored object, with a manifest of checksums.

Usage: npm run backup -- DIR        (in the image: backup DIR)

  DIR         a new or empty directory (created if missing; a relative path is taken from the
              project folder, where npm runs scripts)
  -h, --help  this text

Reads the platform's configuration: DATABASE_URL, S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY,
S3_BUCKET_PREFIX (without them, the embedded services under DATA_DIR). The database is copied
from one consistent snapshot while the platform keeps running. Restore with \`npm run restore\`.

Exit code: 0 done, 1 failed (the reason is printed), 2 usage.`;

runCommand(HELP, async (config, dir, log) => {
  await runBackup(config, dir, log);
});
