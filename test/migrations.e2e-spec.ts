import pg from 'pg';
import { testEnv } from './support/api.js';
import { runScript } from './support/platform-process.js';

/** The migration CLI (npm run migration:*) on a database of its own. */
describe('migrations', () => {
  const base = testEnv().DATABASE_URL;
  const name = `banso_migrations_${Date.now().toString(36)}`;
  const url = (() => {
    const u = new URL(base);
    u.pathname = `/${name}`;
    return u.toString();
  })();
  const admin = new pg.Client({ connectionString: base });
  const cli = (...args: string[]) =>
    runScript('dist/src/infrastructure/database/typeorm-cli.js', { ...testEnv(), DATABASE_URL: url }, args);
  const tables = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const rows = await c.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations' ORDER BY 1`,
    );
    await c.end();
    return rows.rows.map((r) => r.tablename as string);
  };

  const appliedCount = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const rows = await c.query('SELECT count(*)::int AS n FROM typeorm_migrations');
    await c.end();
    return rows.rows[0].n as number;
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('run applies everything, check finds the entities match, revert undoes it all, run again works', async () => {
    const run = await cli('run');
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/Applied: Foundation/);
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'courses',
        'course_versions',
        'lessons',
        'auth_sessions',
        'learner_groups',
        'localities',
        'rate_limit_counters',
        'user_roles',
        'users',
      ]),
    );
    expect((await cli('run')).output).toMatch(/No pending migrations/);

    const check = await cli('check');
    expect(check.output).toMatch(/The entities match the migrated schema/);
    expect(check.code).toBe(0);
    const generate = await cli('generate', 'NothingToDo');
    expect(generate.output).toMatch(/No changes between the entities and the schema/);

    // Every migration reverts, newest first.
    const applied = await appliedCount();
    expect(applied).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < applied; i++) expect((await cli('revert')).code).toBe(0);
    expect(await appliedCount()).toBe(0);
    expect(await tables()).toEqual([]);

    expect((await cli('run')).code).toBe(0);
    expect((await tables()).length).toBeGreaterThanOrEqual(6);
  });

  it('refuses an unknown command with the usage', async () => {
    const res = await cli('drop-everything');
    expect(res.code).toBe(2);
    expect(res.output).toMatch(/Usage/);
  });
});
