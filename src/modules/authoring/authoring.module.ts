import { Module } from '@nestjs/common';
import { CatalogCoreModule } from '../catalog/catalog.module.js';
import { MediaCoreModule } from '../media/media.module.js';
import { AuthoringController } from './authoring.controller.js';
import { AuthoringService } from './authoring.service.js';

@Module({
  imports: [CatalogCoreModule, MediaCoreModule],
  controllers: [AuthoringController],
  providers: [AuthoringService],
  exports: [AuthoringService, MediaCoreModule],
})
export class AuthoringModule {}
