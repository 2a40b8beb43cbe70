import { createPostgresBackend, Queue, Worker, withBackend } from 'bullmq';
import type { AppConfig } from '../config/app-config.js';

/**
 * BullMQ on Redis when REDIS_URL is set (production), otherwise on PostgreSQL so the embedded
 * default needs nothing else installed.
 */
export interface QueueBackend {
  kind: 'redis' | 'postgres';
  Queue: typeof Queue;
  Worker: typeof Worker;
  connection: unknown;
  prefix?: string;
}

export function redisConnectionOptions(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // Required by BullMQ workers; also lets producers ride out a Redis restart.
    maxRetriesPerRequest: null,
  };
}

export function selectQueueBackend(config: AppConfig): QueueBackend {
  if (config.redisUrl) {
    return {
      kind: 'redis',
      Queue,
      Worker,
      connection: redisConnectionOptions(config.redisUrl),
      prefix: config.queuePrefix,
    };
  }
  if (!config.databaseUrl) throw new Error('Neither REDIS_URL nor DATABASE_URL is available for the queues');
  const pg = withBackend(createPostgresBackend);
  return {
    kind: 'postgres',
    Queue: pg.Queue as unknown as typeof Queue,
    Worker: pg.Worker as unknown as typeof Worker,
    connection: {
      connectionString: config.databaseUrl,
      schema: `${config.queuePrefix}_queues`,
      migrate: true,
      max: 5,
    },
  };
}
