import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

const names = new Map<string, string>();

/**
 * A connection from TypeORM's own pool through the driver's public `obtainMasterConnection()`
 * (its `query()` cannot name statements), with the release function that may discard it.
 */
async function connectionOf(dataSource: DataSource): Promise<[PoolClient, (broken?: Error) => void]> {
  const [client, release] = await (dataSource.driver as PostgresDriver).obtainMasterConnection();
  return [client as PoolClient, release as (broken?: Error) => void];
}

/** A stable statement name per SQL text (the hot paths build only a few dozen shapes). */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `banso_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs a read as a named prepared statement on TypeORM's own pool. PostgreSQL then parses and
 * plans each shape once per connection instead of on every request: for the catalog search,
 * planning cost 0.25–0.4 ms against 0.05–0.1 ms of execution (docs/decisions.md). TypeORM's
 * `query()` cannot name a statement, hence the driver's connection. Only for hot, read-only queries whose text
 * is built from a small, fixed set of shapes; values always go in `values`.
 */
export async function preparedQuery<T>(
  dataSource: DataSource,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const [client, release] = await connectionOf(dataSource);
  let broken: Error | undefined;
  try {
    return (await client.query({ name: statementName(text), text, values })).rows as T[];
  } catch (error) {
    // An error from the server (it has an SQLSTATE) leaves the connection usable; any other does not.
    if (!(error as { code?: string }).code) broken = error as Error;
    throw error;
  } finally {
    release(broken);
  }
}

/** A transaction on one pooled connection whose statements are all named (see preparedQuery). */
export interface PreparedTx {
  query<T>(text: string, values: unknown[]): Promise<T[]>;
}

/**
 * Runs `work` in a transaction of prepared statements, for hot write paths that would otherwise
 * spend more time planning than executing. Commits before resolving: what the caller acknowledges
 * afterwards is durable. Rolls back and rethrows on any error.
 */
export async function preparedTransaction<T>(
  dataSource: DataSource,
  work: (tx: PreparedTx) => Promise<T>,
  /** Statements opening the transaction, sent in one round trip (no parameters). */
  begin = 'BEGIN',
): Promise<T> {
  const [client, release] = await connectionOf(dataSource);
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work({
      query: async <R>(text: string, values: unknown[]) =>
        (await client.query({ name: statementName(text), text, values })).rows as R[],
    });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw error;
  } finally {
    release(broken);
  }
}
