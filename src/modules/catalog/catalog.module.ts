import { Module } from '@nestjs/common';
import { LearnerGroupRepository } from './learner-group.repository.js';
import { LearnerGroupsController } from './learner-groups.controller.js';
import { LearnerGroupsService } from './learner-groups.service.js';

@Module({
  controllers: [LearnerGroupsController],
  providers: [LearnerGroupsService, LearnerGroupRepository],
  exports: [LearnerGroupsService],
})
export class CatalogModule {}
