import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config.js';

export const PROCESS_ROLE = Symbol('PROCESS_ROLE');
/** `api` serves HTTP; `worker` runs queue processors. The embedded default runs both in one process. */
export type ProcessRole = 'api' | 'worker';

/** Provides the already-validated `AppConfig` (and the process role) to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, role: ProcessRole): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: PROCESS_ROLE, useValue: role },
      ],
      exports: [AppConfig, PROCESS_ROLE],
    };
  }
}
