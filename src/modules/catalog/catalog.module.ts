import { Module } from '@nestjs/common';
import { CourseCatalogService } from './course-catalog.service.js';
import { CourseContentService } from './course-content.service.js';
import { CourseRepository } from './course.repository.js';
import { CoursesController } from './courses.controller.js';
import { LearnerGroupRepository } from './learner-group.repository.js';
import { LearnerGroupsController } from './learner-groups.controller.js';
import { LearnerGroupsService } from './learner-groups.service.js';

@Module({
  controllers: [LearnerGroupsController, CoursesController],
  providers: [
    LearnerGroupsService,
    LearnerGroupRepository,
    CourseRepository,
    CourseCatalogService,
    CourseContentService,
  ],
  exports: [LearnerGroupsService, CourseCatalogService, CourseContentService],
})
export class CatalogModule {}
