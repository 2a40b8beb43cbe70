import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { PROCESS_ROLE, type ProcessRole } from '../config/config.module.js';
import { dataSourceOptions } from './data-source-options.js';
import { runPendingMigrations } from './migrator.js';
import { PoolMetrics } from './pool-metrics.js';
import { MetricsModule } from '../metrics/metrics.module.js';

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * Provides the TypeORM `DataSource`. Domain repositories inject it and keep their TypeORM use
 * to themselves. Migrations run at boot only when RUN_MIGRATIONS is on (the embedded default).
 * Statements are bounded by the role's timeout, so a stalled database fails requests (503)
 * instead of holding them.
 */
@Global()
@Module({
  imports: [MetricsModule],
  providers: [
    {
      provide: DataSource,
      inject: [AppConfig, PROCESS_ROLE],
      useFactory: async (config: AppConfig, role: ProcessRole) => {
        if (config.runMigrations) {
          // On a connection of its own: a migration may take longer than any request's statement.
          const migrations = new DataSource(dataSourceOptions(config, 'banso-migrations'));
          await migrations.initialize();
          try {
            const applied = await runPendingMigrations(migrations);
            if (applied.length > 0) new Logger('Database').log(`Applied migrations: ${applied.join(', ')}`);
          } finally {
            await migrations.destroy();
          }
        }
        const dataSource = new DataSource(
          dataSourceOptions(config, `banso-${role}`, {
            statementTimeoutMs:
              role === 'worker'
                ? config.database.workerStatementTimeoutMs
                : config.database.statementTimeoutMs,
          }),
        );
        await dataSource.initialize();
        return dataSource;
      },
    },
    DataSourceCloser,
    PoolMetrics,
  ],
  exports: [DataSource],
})
export class DatabaseModule {}
