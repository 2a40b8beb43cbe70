import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { AuthoringController } from './authoring.controller.js';
import { AuthoringService } from './authoring.service.js';

@Module({ imports: [CatalogModule], controllers: [AuthoringController], providers: [AuthoringService] })
export class AuthoringModule {}
