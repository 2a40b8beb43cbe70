import { Module } from '@nestjs/common';
import { AreaScope } from './area-scope.service.js';
import { GeographyController } from './geography.controller.js';
import { GeographyService } from './geography.service.js';
import { LocalityRepository } from './locality.repository.js';

@Module({
  controllers: [GeographyController],
  providers: [GeographyService, AreaScope, LocalityRepository],
  exports: [GeographyService, AreaScope],
})
export class GeographyModule {}
