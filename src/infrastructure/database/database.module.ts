import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { PROCESS_ROLE, type ProcessRole } from '../config/config.module.js';
import { dataSourceOptions } from './data-source-options.js';
import { runPendingMigrations } from './migrator.js';

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
 */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [AppConfig, PROCESS_ROLE],
      useFactory: async (config: AppConfig, role: ProcessRole) => {
        const dataSource = new DataSource(dataSourceOptions(config, `banso-${role}`));
        await dataSource.initialize();
        if (config.runMigrations) {
          const applied = await runPendingMigrations(dataSource);
          if (applied.length > 0) new Logger('Database').log(`Applied migrations: ${applied.join(', ')}`);
        }
        return dataSource;
      },
    },
    DataSourceCloser,
  ],
  exports: [DataSource],
})
export class DatabaseModule {}
