import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LocalizedValueResponse } from '../../catalog/dto/localized-text.dto.js';
import { LESSON_KINDS } from '../../catalog/entities/lesson.entity.js';

export class QuestionResultResponse {
  @ApiProperty() questionId!: string;
  @ApiProperty() correct!: boolean;
  @ApiProperty({
    type: [LocalizedValueResponse],
    description: 'Feedback for what was chosen, in the learner language',
  })
  feedback!: LocalizedValueResponse[];
}

export class QuizResultResponse {
  @ApiProperty({ description: 'Percent correct, 0–100' }) score!: number;
  @ApiProperty() passMark!: number;
  @ApiProperty() passed!: boolean;
  @ApiProperty() correctCount!: number;
  @ApiProperty() questionCount!: number;
  @ApiProperty({ type: [QuestionResultResponse] }) questions!: QuestionResultResponse[];
}

export class VideoProgressResponse {
  @ApiProperty({ description: 'Seconds actually watched (merged intervals)' }) watchedSeconds!: number;
  @ApiProperty({ nullable: true, type: Number }) durationSeconds!: number | null;
  @ApiProperty({ example: 0.42 }) watchedShare!: number;
  @ApiProperty({ example: 0.9, description: 'Share needed to complete' }) requiredShare!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Where to resume' }) positionSeconds!:
    number | null;
}

export class GuideProgressResponse {
  @ApiProperty({ type: [String] }) stepsDone!: string[];
  @ApiProperty() stepCount!: number;
}

export class QuizProgressResponse {
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'null: unlimited' }) attemptsLeft!: number | null;
  @ApiProperty({ nullable: true, type: Number }) bestScore!: number | null;
  @ApiProperty({ nullable: true, type: Number }) lastScore!: number | null;
  @ApiProperty() passMark!: number;
  @ApiProperty() passed!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Cooldown: the next attempt is possible from' })
  nextAttemptAt!: string | null;
}

export class LessonProgressResponse {
  @ApiProperty() lessonId!: string;
  @ApiProperty() lessonKey!: string;
  @ApiProperty({ enum: LESSON_KINDS }) kind!: string;
  @ApiProperty({ enum: ['not_started', 'in_progress', 'completed'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) completedAt!: string | null;
  @ApiPropertyOptional({ type: VideoProgressResponse }) video?: VideoProgressResponse;
  @ApiPropertyOptional({ type: GuideProgressResponse }) guide?: GuideProgressResponse;
  @ApiPropertyOptional({ type: QuizProgressResponse }) quiz?: QuizProgressResponse;
}

export class CourseCompletionResponse {
  @ApiProperty() courseId!: string;
  @ApiProperty({ description: 'The course version completed' }) version!: number;
  @ApiProperty({ description: 'The language studied' }) locale!: string;
  @ApiProperty({ nullable: true, type: Number }) averageQuizScore!: number | null;
  @ApiProperty() completedAt!: string;
}

export class EventReceiptResponse {
  @ApiProperty({ nullable: true, type: String, description: "The event's id (null if it had none)" })
  id!: string | null;
  @ApiProperty({ enum: ['accepted', 'duplicate', 'rejected'] }) status!:
    'accepted' | 'duplicate' | 'rejected';
  @ApiPropertyOptional({ example: 'QUIZ_COOLDOWN' }) code?: string;
  @ApiPropertyOptional() message?: string;
  @ApiPropertyOptional({ type: Object }) details?: Record<string, unknown>;
  @ApiPropertyOptional({ type: QuizResultResponse, description: 'quiz.attempt: the grade' })
  quiz?: QuizResultResponse;
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
  @ApiProperty() courseId!: string;
  @ApiProperty({ description: 'The version the learner studies' }) version!: number;
  @ApiProperty() enrolledAt!: string;
  @ApiProperty({ nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt!: string | null;
}

export class LessonRefResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: LESSON_KINDS }) kind!: string;
  @ApiProperty({ type: LocalizedValueResponse }) title!: LocalizedValueResponse;
}

export class ResumeResponse extends LessonRefResponse {
  @ApiProperty({ nullable: true, type: Number }) positionSeconds!: number | null;
}

export class MyCourseResponse {
  @ApiProperty() courseId!: string;
  @ApiProperty({ type: LocalizedValueResponse }) title!: LocalizedValueResponse;
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'A newer version of the course is published' }) newerVersion!: boolean;
  @ApiProperty() lessonsCompleted!: number;
  @ApiProperty({ description: 'Lessons that count towards completion' }) lessonsRequired!: number;
  @ApiProperty({ example: 60 }) percent!: number;
  @ApiProperty({ type: LessonRefResponse, nullable: true }) nextLesson!: LessonRefResponse | null;
  @ApiProperty({ type: ResumeResponse, nullable: true }) resume!: ResumeResponse | null;
  @ApiProperty() enrolledAt!: string;
  @ApiProperty({ nullable: true, type: String }) lastActivityAt!: string | null;
  @ApiProperty({ type: CourseCompletionResponse, nullable: true })
  completion!: CourseCompletionResponse | null;
}

export class MyLearningResponse {
  @ApiProperty({ type: [MyCourseResponse] }) inProgress!: MyCourseResponse[];
  @ApiProperty({ type: [MyCourseResponse] }) completed!: MyCourseResponse[];
}

export class EnrolResultResponse {
  @ApiProperty({ description: 'As given' }) learner!: string;
  @ApiProperty({ enum: ['enrolled', 'already_enrolled', 'not_found'] }) status!: string;
  @ApiPropertyOptional() userId?: string;
}

export class EnrolLearnersResponse {
  @ApiProperty() enrolled!: number;
  @ApiProperty() alreadyEnrolled!: number;
  @ApiProperty() notFound!: number;
  @ApiProperty({ type: [EnrolResultResponse] }) results!: EnrolResultResponse[];
}

export class ProgressCountsResponse {
  @ApiProperty() enrolled!: number;
  @ApiProperty() notStarted!: number;
  @ApiProperty() inProgress!: number;
  @ApiProperty() completed!: number;
}

export class GroupCountsResponse extends ProgressCountsResponse {
  @ApiProperty({ nullable: true, type: String, description: 'null: learners without a group' }) code!:
    string | null;
  @ApiProperty({ type: LocalizedValueResponse, nullable: true }) name!: LocalizedValueResponse | null;
}

export class LocalityCountsResponse extends ProgressCountsResponse {
  @ApiProperty({ nullable: true, type: String, description: 'null: learners without a village' }) id!:
    string | null;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
}

export class ProgressReportResponse {
  @ApiPropertyOptional() courseId?: string;
  @ApiPropertyOptional() localityId?: string;
  @ApiProperty({
    description: 'Coordinators: counted only for learners living in their locality',
    type: [String],
  })
  scopedTo!: string[];
  @ApiProperty({ type: ProgressCountsResponse }) totals!: ProgressCountsResponse;
  @ApiProperty({ type: [GroupCountsResponse] }) byLearnerGroup!: GroupCountsResponse[];
  @ApiProperty({ type: [LocalityCountsResponse], description: 'By the next level down (commune, village)' })
  byLocality!: LocalityCountsResponse[];
}
