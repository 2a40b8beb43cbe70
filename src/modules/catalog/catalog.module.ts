import { Module } from '@nestjs/common';
import { ResponseCacheModule } from '../../infrastructure/http/response-cache.js';
import { MediaCoreModule } from '../media/media.module.js';
import { CourseCatalogService } from './course-catalog.service.js';
import { CourseContentService } from './course-content.service.js';
import { LearnableContentService } from './learnable-content.service.js';
import { CourseRepository } from './course.repository.js';
import { CoursesController } from './courses.controller.js';
import { LearnerGroupRepository } from './learner-group.repository.js';
import { LearnerGroupsController } from './learner-groups.controller.js';
import { LearnerGroupsService } from './learner-groups.service.js';

/** Learner groups alone: identity needs them, and nothing else of the catalog. */
@Module({ providers: [LearnerGroupsService, LearnerGroupRepository], exports: [LearnerGroupsService] })
export class LearnerGroupsModule {}

/** Learner groups, courses and lessons as services (for other modules, the worker and CLIs). */
@Module({
  imports: [LearnerGroupsModule, MediaCoreModule, ResponseCacheModule],
  providers: [CourseRepository, CourseCatalogService, CourseContentService, LearnableContentService],
  exports: [LearnerGroupsModule, CourseCatalogService, CourseContentService, LearnableContentService],
})
export class CatalogCoreModule {}

/** The HTTP role adds the learner-facing catalog routes. */
@Module({
  imports: [CatalogCoreModule, ResponseCacheModule],
  controllers: [LearnerGroupsController, CoursesController],
})
export class CatalogModule {}
