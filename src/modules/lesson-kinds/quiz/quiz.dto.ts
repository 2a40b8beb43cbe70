import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { ContentBodyDto, RequiredContentBodyDto } from '../../../infrastructure/i18n/content-text.dto.js';
import { LocalizedValueResponse } from '../../../infrastructure/i18n/localized-text.dto.js';
import { NestedArray, NestedObject, Nullable, Optional } from '../../../infrastructure/http/input-rules.js';
import { LessonFormDto, LONG_TEXT } from '../lesson-form.dto.js';
import { PictureDto, VoiceDto, VoiceField } from '../voice-and-pictures.js';

export class QuizOptionDto {
  @ApiPropertyOptional({
    type: RequiredContentBodyDto,
    description: 'What the option says (required unless it is a picture: then its alt text is used)',
  })
  @ValidateIf((o: QuizOptionDto) => o.picture === undefined || o.text !== undefined)
  @NestedObject(() => RequiredContentBodyDto)
  text?: RequiredContentBodyDto;
  @ApiPropertyOptional({ type: PictureDto, description: 'picture_choice: the picture learners tap' })
  @Optional()
  @NestedObject(() => PictureDto)
  picture?: PictureDto;
  @VoiceField('The option read aloud') voice?: VoiceDto;
  @VoiceField('Its feedback read aloud') feedbackVoice?: VoiceDto;
  @ApiPropertyOptional({ description: 'Choice questions: whether this option is right' })
  @Optional()
  @IsBoolean()
  correct?: boolean;
  @ApiPropertyOptional({ type: ContentBodyDto, description: 'Shown after answering: explain why' })
  @Optional()
  @NestedObject(() => ContentBodyDto)
  feedback?: ContentBodyDto;
}

export class QuizFeedbackDto {
  @ApiPropertyOptional({ type: ContentBodyDto })
  @Optional()
  @NestedObject(() => ContentBodyDto)
  correct?: ContentBodyDto;
  @ApiPropertyOptional({ type: ContentBodyDto })
  @Optional()
  @NestedObject(() => ContentBodyDto)
  incorrect?: ContentBodyDto;
  @VoiceField('The feedback on a right answer read aloud') correctVoice?: VoiceDto;
  @VoiceField('The feedback on a wrong answer read aloud') incorrectVoice?: VoiceDto;
}

export const QUESTION_TYPES = ['single', 'multiple', 'picture_choice', 'true_false', 'ordering'] as const;
const CHOICES: readonly string[] = ['single', 'multiple', 'picture_choice'];

export class QuizQuestionDto {
  @ApiProperty({ enum: QUESTION_TYPES }) @IsIn(QUESTION_TYPES) type!: (typeof QUESTION_TYPES)[number];
  @ApiProperty({ type: RequiredContentBodyDto })
  @NestedObject(() => RequiredContentBodyDto)
  prompt!: RequiredContentBodyDto;
  @VoiceField('The question read aloud') voice?: VoiceDto;

  @ApiPropertyOptional({ type: [QuizOptionDto], description: 'single / multiple / picture_choice' })
  @ValidateIf((q: QuizQuestionDto) => CHOICES.includes(q.type))
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(8)
  @NestedArray(() => QuizOptionDto)
  options?: QuizOptionDto[];

  @ApiPropertyOptional({ description: 'true_false: the right answer' })
  @ValidateIf((q: QuizQuestionDto) => q.type === 'true_false')
  @IsBoolean()
  answer?: boolean;

  @ApiPropertyOptional({
    type: [RequiredContentBodyDto],
    description: 'ordering: the items in the right order',
  })
  @ValidateIf((q: QuizQuestionDto) => q.type === 'ordering')
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @NestedArray(() => RequiredContentBodyDto)
  items?: RequiredContentBodyDto[];

  @ApiPropertyOptional({
    type: [VoiceDto],
    description: 'ordering: each item read aloud, in the order of `items`',
  })
  @Optional()
  @ArrayMaxSize(10)
  @NestedArray(() => VoiceDto)
  itemVoices?: VoiceDto[];

  @ApiPropertyOptional({ type: QuizFeedbackDto, description: 'true_false / ordering' })
  @Optional()
  @NestedObject(() => QuizFeedbackDto)
  feedback?: QuizFeedbackDto;
}

export class QuizContentDto {
  @ApiProperty({ minimum: 0, maximum: 100, example: 70, description: 'Percent needed to pass' })
  @IsInt()
  @Min(0)
  @Max(100)
  passMark!: number;

  @ApiPropertyOptional({ nullable: true, description: 'Attempts allowed; null for unlimited' })
  @Nullable()
  @IsInt()
  @Min(1)
  @Max(100)
  maxAttempts?: number | null;

  @ApiPropertyOptional({ description: 'Seconds to wait between attempts' })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  cooldownSeconds?: number;

  @ApiProperty({ type: [QuizQuestionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @NestedArray(() => QuizQuestionDto)
  questions!: QuizQuestionDto[];
}

/** Documentation of an answer in a `quiz.attempt` event (events are read by the kind's parser). */
export class QuizAnswerDto {
  @ApiProperty({ format: 'uuid' }) questionId!: string;
  @ApiPropertyOptional({ type: [String], description: 'single and multiple choice' }) optionIds?: string[];
  @ApiPropertyOptional({ description: 'true/false questions' }) answer?: boolean;
  @ApiPropertyOptional({ type: [String], description: 'ordering: every item id in the chosen order' })
  order?: string[];
}

/** A recording of feedback, ready to play. */
export class FeedbackVoiceResponse {
  @ApiProperty({ description: 'AAC in M4A' }) url!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty() locale!: string;
  @ApiProperty({ description: "Not in the learner's first language" }) fallback!: boolean;
}

export class FeedbackResponse extends LocalizedValueResponse {
  @ApiProperty({ type: FeedbackVoiceResponse, nullable: true, description: 'The feedback read aloud' })
  voice!: FeedbackVoiceResponse | null;
}

export class QuestionResultResponse {
  @ApiProperty({ format: 'uuid' }) questionId!: string;
  @ApiProperty() correct!: boolean;
  @ApiProperty({
    type: [FeedbackResponse],
    description: 'Feedback for what was chosen, in the learner language',
  })
  feedback!: FeedbackResponse[];
}

/** A graded attempt, in the event's receipt: nothing in it reveals the key. */
export class QuizResultResponse {
  @ApiProperty({ description: 'Percent correct, 0–100' }) score!: number;
  @ApiProperty() passMark!: number;
  @ApiProperty() passed!: boolean;
  @ApiProperty() correctCount!: number;
  @ApiProperty() questionCount!: number;
  @ApiProperty({ type: [QuestionResultResponse] }) questions!: QuestionResultResponse[];
}

export class QuizProgressResponse {
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'null: unlimited' }) attemptsLeft!: number | null;
  @ApiProperty({ nullable: true, type: Number }) bestScore!: number | null;
  @ApiProperty({ nullable: true, type: Number }) lastScore!: number | null;
  @ApiProperty() passMark!: number;
  @ApiProperty() passed!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'Cooldown: the next attempt is possible from',
  })
  nextAttemptAt!: string | null;
}

/** The trainer editor's quiz rows: one row per question, one per option (naming its question by index). */
export class QuizFormDto extends LessonFormDto {
  @Optional() @IsString() @MaxLength(6) passMark?: string;
  @Optional() @IsString({ each: true }) @MaxLength(60, { each: true }) qId?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(20, { each: true }) qType?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(LONG_TEXT, { each: true }) qPromptVi?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(LONG_TEXT, { each: true }) qPromptSecond?:
    string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(6, { each: true }) qTrue?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(6, { each: true }) removeQuestion?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(6, { each: true }) oQuestion?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(60, { each: true }) oId?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(LONG_TEXT, { each: true }) oTextVi?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(LONG_TEXT, { each: true }) oTextSecond?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(6, { each: true }) oCorrect?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(60, { each: true }) qVoiceVi?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(60, { each: true }) qVoiceSecond?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(60, { each: true }) oVoiceVi?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(60, { each: true }) oVoiceSecond?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(60, { each: true }) oPicture?: string | string[];
}
