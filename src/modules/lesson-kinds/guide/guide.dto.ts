import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, MaxLength } from 'class-validator';
import { RequiredContentBodyDto } from '../../../infrastructure/i18n/content-text.dto.js';
import { NestedArray, NestedObject, Optional } from '../../../infrastructure/http/input-rules.js';
import { LessonFormDto, SHORT_TEXT, LONG_TEXT } from '../lesson-form.dto.js';
import { PictureDto, VoiceDto, VoiceField } from '../voice-and-pictures.js';

export class GuideStepDto {
  @ApiProperty({ type: RequiredContentBodyDto })
  @NestedObject(() => RequiredContentBodyDto)
  title!: RequiredContentBodyDto;
  @ApiProperty({ type: RequiredContentBodyDto })
  @NestedObject(() => RequiredContentBodyDto)
  body!: RequiredContentBodyDto;
  @VoiceField('The step read aloud, per language') voice?: VoiceDto;
  @ApiPropertyOptional({ type: PictureDto, description: 'What the step shows, with its alt text' })
  @Optional()
  @NestedObject(() => PictureDto)
  picture?: PictureDto;
}

/** A guide: steps done one by one, each acknowledged by the learner. */
export class GuideContentDto {
  @ApiProperty({ type: [GuideStepDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @NestedArray(() => GuideStepDto)
  steps!: GuideStepDto[];
}

export class GuideProgressResponse {
  @ApiProperty({ type: [String] }) stepsDone!: string[];
  @ApiProperty() stepCount!: number;
}

/** The trainer editor's guide rows: one row per step. */
export class GuideFormDto extends LessonFormDto {
  @Optional() @IsString({ each: true }) @MaxLength(60, { each: true }) stepId?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(SHORT_TEXT, { each: true }) stepTitleVi?:
    string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(SHORT_TEXT, { each: true }) stepTitleSecond?:
    string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(LONG_TEXT, { each: true }) stepBodyVi?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(LONG_TEXT, { each: true }) stepBodySecond?:
    string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(60, { each: true }) stepVoiceVi?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(60, { each: true }) stepVoiceSecond?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(60, { each: true }) stepPicture?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(LONG_TEXT, { each: true }) stepAltVi?: string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(LONG_TEXT, { each: true }) stepAltSecond?:
    string | string[];
  @Optional() @IsString({ each: true }) @MaxLength(6, { each: true }) removeStep?: string | string[];
}
