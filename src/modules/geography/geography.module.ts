import { Module } from '@nestjs/common';
import { GeographyController } from './geography.controller.js';
import { GeographyService } from './geography.service.js';
import { LocalityRepository } from './locality.repository.js';

@Module({
  controllers: [GeographyController],
  providers: [GeographyService, LocalityRepository],
  exports: [GeographyService],
})
export class GeographyModule {}
