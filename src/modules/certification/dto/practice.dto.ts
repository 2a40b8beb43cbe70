import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { NestedObject, Optional } from '../../../infrastructure/http/input-rules.js';
import { PageQueryDto } from '../../../infrastructure/http/pagination.js';
import { CreatedMentoringRecordResponse } from './certification-responses.dto.js';
import { PhotoUploadDto } from './certification.dto.js';

export class ConfirmPracticeDto {
  @ApiProperty({ format: 'uuid', description: 'The learner who did the task' }) @IsUUID() learnerId!: string;
  @ApiProperty({ format: 'uuid', description: 'The practice lesson' }) @IsUUID() lessonId!: string;
  @ApiPropertyOptional({
    type: PhotoUploadDto,
    description:
      'A photo as evidence (ambassadors: it goes with the "1 kèm 5" record the confirmation adds; upload it to the link answered)',
  })
  @Optional()
  @NestedObject(() => PhotoUploadDto)
  photo?: PhotoUploadDto;
}

export class PendingPracticeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "The village (required except for an ambassador, who sees their certificates' villages)",
  })
  @Optional()
  @IsUUID()
  villageId?: string;
}

export class PendingPracticeItem {
  @ApiProperty({ format: 'uuid' }) learnerId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ format: 'uuid' }) villageId!: string;
  @ApiProperty({ format: 'uuid' }) lessonId!: string;
  @ApiProperty({ description: "The lesson's title in the reader's languages" }) lessonTitle!: string;
  @ApiProperty({ description: 'What the learner has to do' }) task!: string;
  @ApiProperty({ format: 'uuid' }) courseId!: string;
  @ApiProperty() courseTitle!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastActivityAt!: string | null;
}

export class PendingPracticePage {
  @ApiProperty({ type: [PendingPracticeItem] }) items!: PendingPracticeItem[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class PracticeConfirmedResponse {
  @ApiProperty({ format: 'uuid' }) learnerId!: string;
  @ApiProperty({ format: 'uuid' }) lessonId!: string;
  @ApiProperty({ description: 'false: it was confirmed before (by anyone); the first confirmation stands' })
  newlyConfirmed!: boolean;
  @ApiProperty({ type: [String], description: 'Courses this confirmation completed' })
  completedCourses!: string[];
  @ApiProperty({
    type: CreatedMentoringRecordResponse,
    nullable: true,
    description:
      'The "1 kèm 5" record added to the confirming ambassador\'s log (null for staff, or a repeat)',
  })
  mentoring!: CreatedMentoringRecordResponse | null;
}
