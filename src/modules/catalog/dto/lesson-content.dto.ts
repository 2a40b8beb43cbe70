import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ContentBodyDto, RequiredContentBodyDto } from './content-text.dto.js';

export class GuideStepDto {
  @ApiProperty({ type: RequiredContentBodyDto })
  @ValidateNested()
  @Type(() => RequiredContentBodyDto)
  title!: RequiredContentBodyDto;
  @ApiProperty({ type: RequiredContentBodyDto })
  @ValidateNested()
  @Type(() => RequiredContentBodyDto)
  body!: RequiredContentBodyDto;
}

export class GuideContentDto {
  @ApiProperty({ type: [GuideStepDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => GuideStepDto)
  steps!: GuideStepDto[];
}

export class QuizOptionDto {
  @ApiProperty({ type: RequiredContentBodyDto })
  @ValidateNested()
  @Type(() => RequiredContentBodyDto)
  text!: RequiredContentBodyDto;
  @ApiPropertyOptional({ description: 'single / multiple: whether this option is right' })
  @IsOptional()
  @IsBoolean()
  correct?: boolean;
  @ApiPropertyOptional({ type: ContentBodyDto, description: 'Shown after answering: explain why' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContentBodyDto)
  feedback?: ContentBodyDto;
}

export class QuizFeedbackDto {
  @ApiPropertyOptional({ type: ContentBodyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContentBodyDto)
  correct?: ContentBodyDto;
  @ApiPropertyOptional({ type: ContentBodyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContentBodyDto)
  incorrect?: ContentBodyDto;
}

export const QUESTION_TYPES = ['single', 'multiple', 'true_false', 'ordering'] as const;

export class QuizQuestionDto {
  @ApiProperty({ enum: QUESTION_TYPES }) @IsIn(QUESTION_TYPES) type!: (typeof QUESTION_TYPES)[number];
  @ApiProperty({ type: RequiredContentBodyDto })
  @ValidateNested()
  @Type(() => RequiredContentBodyDto)
  prompt!: RequiredContentBodyDto;

  @ApiPropertyOptional({ type: [QuizOptionDto], description: 'single / multiple' })
  @ValidateIf((q: QuizQuestionDto) => q.type === 'single' || q.type === 'multiple')
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => QuizOptionDto)
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
  @ValidateNested({ each: true })
  @Type(() => RequiredContentBodyDto)
  items?: RequiredContentBodyDto[];

  @ApiPropertyOptional({ type: QuizFeedbackDto, description: 'true_false / ordering' })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuizFeedbackDto)
  feedback?: QuizFeedbackDto;
}

export class QuizContentDto {
  @ApiProperty({ minimum: 0, maximum: 100, example: 70, description: 'Percent needed to pass' })
  @IsInt()
  @Min(0)
  @Max(100)
  passMark!: number;

  @ApiPropertyOptional({ nullable: true, description: 'Attempts allowed; null for unlimited' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxAttempts?: number | null;

  @ApiPropertyOptional({ description: 'Seconds to wait between attempts' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  cooldownSeconds?: number;

  @ApiProperty({ type: [QuizQuestionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => QuizQuestionDto)
  questions!: QuizQuestionDto[];
}
