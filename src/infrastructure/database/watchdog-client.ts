import pg from 'pg';

type Callback = (err: Error | null, result?: unknown) => void;
type AnyQuery = (...args: unknown[]) => unknown;

/** Raised on a statement the server left unanswered; the connection is gone with it. */
export class DatabaseTimeoutError extends Error {
  readonly code = 'BANSO_DB_TIMEOUT';
  constructor(ms: number) {
    super(`The database did not answer within ${ms} ms`);
    this.name = 'DatabaseTimeoutError';
  }
}

/**
 * A pg client that gives up on a statement the server does not answer. `statement_timeout` makes
 * a live server cancel slow statements itself; a stopped or unreachable server answers nothing,
 * and pg's own `query_timeout` then leaves the statement running on the connection, so the
 * transaction's ROLLBACK would queue behind it and the connection would go back to the pool busy.
 * This one destroys the connection instead (as pg-pool does on a connect timeout): every pending
 * statement fails at once and the pool never hands the connection out again.
 */
export function watchdogClient(timeoutMs: number): typeof pg.Client {
  return class WatchdogClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      // A destroyed connection emits 'error'; a client checked out without a listener must not
      // crash the process. Its queries fail anyway, and the pool drops it (it is not queryable).
      this.on('error', () => undefined);
    }

    // pg's overloads (text/config, values, callback; promise without a callback) pass through.
    override query(...args: unknown[]): never {
      const config = args[0] as { submit?: unknown } | undefined;
      if (config && typeof config.submit === 'function')
        return (super.query as AnyQuery).call(this, ...args) as never;
      const timer = setTimeout(() => {
        const stream = (this as unknown as { connection?: { stream?: { destroy(e: Error): void } } })
          .connection?.stream;
        stream?.destroy(new DatabaseTimeoutError(timeoutMs));
      }, timeoutMs);
      timer.unref();
      const last = args.length - 1;
      if (typeof args[last] === 'function') {
        const callback = args[last] as Callback;
        args[last] = (err: Error | null, result?: unknown) => {
          clearTimeout(timer);
          callback(err, result);
        };
        return (super.query as AnyQuery).call(this, ...args) as never;
      }
      return ((super.query as AnyQuery).call(this, ...args) as Promise<unknown>).finally(() =>
        clearTimeout(timer),
      ) as never;
    }
  };
}
