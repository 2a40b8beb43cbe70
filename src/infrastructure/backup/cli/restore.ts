import 'reflect-metadata';
import { runRestore } from '../restore.js';
import { runCommand } from './command.js';

const HELP = `Restores a Bản Số backup (made by \`npm run backup\`) into an EMPTY database and EMPTY buckets.

Usage: npm run restore -- DIR       (in the image: restore DIR)

  DIR         the backup directory (the one holding manifest.json)
  -h, --help  this text

Reads the platform's configuration: DATABASE_URL names the (new, empty) database, S3_ENDPOINT,
S3_ACCESS_KEY, S3_SECRET_KEY and S3_BUCKET_PREFIX the (new or empty) buckets; without them, the
embedded services under DATA_DIR. Before changing anything it checks that both are empty, that
this version has every migration of the backup, and every file's SHA-256. Then it creates the
schema as it was at backup time (its migrations, no newer ones), loads the rows in one
transaction, and uploads the objects. Start the platform with the same ISSUER_KEY_SECRET as the
backed-up one, or it cannot sign certificates with the restored keys.

Exit code: 0 done, 1 refused or failed (the reason is printed; nothing is half-restored in the
database), 2 usage.`;

runCommand(HELP, async (config, dir, log) => {
  await runRestore(config, dir, log);
});
