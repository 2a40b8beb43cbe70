import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { ContentBodyDto, RequiredContentBodyDto } from '../../../infrastructure/i18n/content-text.dto.js';
import { NestedObject, Optional } from '../../../infrastructure/http/input-rules.js';
import { LessonFormDto, LONG_TEXT } from '../lesson-form.dto.js';
import { VoiceDto, VoiceField } from '../voice-and-pictures.js';
import { DIGITAL_TASKS } from './digital-tasks.js';

/** A practice task: the real thing to do, confirmed in person by someone of the learner's village. */
export class PracticeContentDto {
  @ApiProperty({
    type: RequiredContentBodyDto,
    description: 'What the learner does for real, e.g. "Trả tiền điện tháng này bằng điện thoại"',
  })
  @NestedObject(() => RequiredContentBodyDto)
  task!: RequiredContentBodyDto;

  @ApiPropertyOptional({ type: ContentBodyDto, description: 'How, in a few lines; what to bring' })
  @Optional()
  @NestedObject(() => ContentBodyDto)
  howTo?: ContentBodyDto;

  @VoiceField('The task read aloud, per language') taskVoice?: VoiceDto;
  @VoiceField('The how-to read aloud, per language') howToVoice?: VoiceDto;

  @ApiProperty({
    enum: DIGITAL_TASKS,
    description: 'The digital task it is ("1 kèm 5" records of ambassadors who confirm it name it)',
  })
  @IsIn(DIGITAL_TASKS)
  digitalTask!: string;
}

export class PracticeProgressResponse {
  @ApiProperty({ description: 'Someone of the village confirmed the task was done' }) confirmed!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) confirmedAt!: string | null;
}

/** The trainer editor's practice rows. */
export class PracticeFormDto extends LessonFormDto {
  @Optional() @IsString() @MaxLength(LONG_TEXT) taskVi?: string;
  @Optional() @IsString() @MaxLength(LONG_TEXT) taskSecond?: string;
  @Optional() @IsString() @MaxLength(LONG_TEXT) howToVi?: string;
  @Optional() @IsString() @MaxLength(LONG_TEXT) howToSecond?: string;
  @Optional() @IsString() @MaxLength(40) digitalTask?: string;
  @Optional() @IsString() @MaxLength(60) taskVoiceVi?: string;
  @Optional() @IsString() @MaxLength(60) taskVoiceSecond?: string;
  @Optional() @IsString() @MaxLength(60) howToVoiceVi?: string;
  @Optional() @IsString() @MaxLength(60) howToVoiceSecond?: string;
}
