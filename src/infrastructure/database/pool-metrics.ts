import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.js';

/** The connection pool of this process: in use, idle, and requests waiting for a connection. */
@Injectable()
export class PoolMetrics {
  constructor(
    @Inject(Metrics) metrics: Metrics,
    @Inject(DataSource) dataSource: DataSource,
    @Inject(AppConfig) config: AppConfig,
  ) {
    // TypeORM's driver keeps the pg Pool as `master` (public, typed `any`).
    const pool = () => (dataSource.driver as PostgresDriver).master as Pool | undefined;
    metrics.gauge(
      'db_pool_connections',
      'Database connections of this process by state',
      ['state'],
      (gauge) => {
        const p = pool();
        if (!p) return;
        gauge.set({ state: 'in_use' }, p.totalCount - p.idleCount);
        gauge.set({ state: 'idle' }, p.idleCount);
        gauge.set({ state: 'waiting' }, p.waitingCount);
      },
    );
    metrics.gauge('db_pool_max', 'Most connections this process opens', [], (gauge) =>
      gauge.set(config.database.poolMax),
    );
  }
}
