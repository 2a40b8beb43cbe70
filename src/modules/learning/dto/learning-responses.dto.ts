import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LocalizedValueResponse } from '../../../infrastructure/i18n/localized-text.dto.js';
import { LESSON_KIND_DEFINITIONS, LESSON_KINDS } from '../../lesson-kinds/lesson-kinds.js';

export class LessonProgressResponse {
  @ApiProperty({ format: 'uuid' }) lessonId!: string;
  @ApiProperty({ format: 'uuid' }) lessonKey!: string;
  @ApiProperty({ enum: [...LESSON_KINDS] }) kind!: string;
  @ApiProperty({ enum: ['not_started', 'in_progress', 'completed'] }) status!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) completedAt!: string | null;
  /** The kind's own summary, under the kind's name (`video`, `guide`, `quiz`…). */
  [kind: string]: unknown;
}
// Each kind's summary is documented from its definition.
for (const k of LESSON_KIND_DEFINITIONS) {
  ApiPropertyOptional({ type: k.progressDto, description: `${k.kind} lessons` })(
    LessonProgressResponse.prototype,
    k.kind,
  );
}

export class CourseCompletionResponse {
  @ApiProperty({ format: 'uuid' }) courseId!: string;
  @ApiProperty({ description: 'The course version completed' }) version!: number;
  @ApiProperty({ description: 'The language studied' }) locale!: string;
  @ApiProperty({ nullable: true, type: Number }) averageQuizScore!: number | null;
  @ApiProperty({ format: 'date-time' }) completedAt!: string;
}

export class EventReceiptResponse {
  @ApiProperty({ nullable: true, type: String, description: "The event's id (null if it had none)" })
  id!: string | null;
  @ApiProperty({ enum: ['accepted', 'duplicate', 'rejected'] }) status!:
    'accepted' | 'duplicate' | 'rejected';
  @ApiPropertyOptional({ example: 'QUIZ_COOLDOWN' }) code?: string;
  @ApiPropertyOptional() message?: string;
  @ApiPropertyOptional({ type: Object }) details?: Record<string, unknown>;
  /** What the lesson's kind adds to an accepted event, under its name (a quiz: the grade). */
  [kind: string]: unknown;
}
for (const k of LESSON_KIND_DEFINITIONS) {
  if (k.receiptDto)
    ApiPropertyOptional({ type: k.receiptDto, description: `An accepted ${k.eventType}` })(
      EventReceiptResponse.prototype,
      k.kind,
    );
}

export class EventResultResponse {
  @ApiProperty({ type: EventReceiptResponse }) receipt!: EventReceiptResponse;
  @ApiProperty({ type: LessonProgressResponse }) lesson!: LessonProgressResponse;
  @ApiProperty({ type: [CourseCompletionResponse], description: 'Courses this event completed' })
  completedCourses!: CourseCompletionResponse[];
}

export class SyncReceiptResponse {
  @ApiProperty() accepted!: number;
  @ApiProperty() duplicate!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ type: [EventReceiptResponse], description: 'One per event, in the order sent' })
  receipts!: EventReceiptResponse[];
  @ApiProperty({ type: [CourseCompletionResponse] }) completedCourses!: CourseCompletionResponse[];
}

export class EnrolmentResponse {
  @ApiProperty({ format: 'uuid' }) courseId!: string;
  @ApiProperty({ description: 'The version the learner studies' }) version!: number;
  @ApiProperty({ format: 'date-time' }) enrolledAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) completedAt!: string | null;
}

export class LessonRefResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: LESSON_KINDS }) kind!: string;
  @ApiProperty({ type: LocalizedValueResponse }) title!: LocalizedValueResponse;
}

export class ResumeResponse extends LessonRefResponse {
  @ApiProperty({ nullable: true, type: Number }) positionSeconds!: number | null;
}

export class MyCourseResponse {
  @ApiProperty({ format: 'uuid' }) courseId!: string;
  @ApiProperty({ type: LocalizedValueResponse }) title!: LocalizedValueResponse;
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'A newer version of the course is published' }) newerVersion!: boolean;
  @ApiProperty() lessonsCompleted!: number;
  @ApiProperty({ description: 'Lessons that count towards completion' }) lessonsRequired!: number;
  @ApiProperty({ example: 60 }) percent!: number;
  @ApiProperty({ type: LessonRefResponse, nullable: true }) nextLesson!: LessonRefResponse | null;
  @ApiProperty({ type: ResumeResponse, nullable: true }) resume!: ResumeResponse | null;
  @ApiProperty({ format: 'date-time' }) enrolledAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastActivityAt!: string | null;
  @ApiProperty({ type: CourseCompletionResponse, nullable: true })
  completion!: CourseCompletionResponse | null;
}

export class MyLearningResponse {
  @ApiProperty({ type: [MyCourseResponse] }) inProgress!: MyCourseResponse[];
  @ApiProperty({ type: [MyCourseResponse] }) completed!: MyCourseResponse[];
}

export class EnrolResultResponse {
  @ApiProperty({ description: 'As given' }) learner!: string;
  @ApiProperty({
    enum: ['enrolled', 'already_enrolled', 'not_found'],
    description: "not_found also for learners outside a coordinator's area",
  })
  status!: string;
}

export class EnrolLearnersResponse {
  @ApiProperty() enrolled!: number;
  @ApiProperty() alreadyEnrolled!: number;
  @ApiProperty() notFound!: number;
  @ApiProperty({ type: [EnrolResultResponse] }) results!: EnrolResultResponse[];
}
