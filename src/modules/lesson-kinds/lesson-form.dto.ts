import { IsString, MaxLength } from 'class-validator';
import { Optional } from '../../infrastructure/http/input-rules.js';

export const SHORT_TEXT = 1000;
export const LONG_TEXT = 8000;

/**
 * The trainer's lesson editor as a plain form: what every kind has (title, summary, the second
 * language edited, the CSRF token). Each kind's form DTO extends it with its rows.
 */
export class LessonFormDto {
  @Optional() @IsString() _csrf?: string;
  @Optional() @IsString() @MaxLength(8) second?: string;
  @Optional() @IsString() @MaxLength(24) kind?: string;
  @Optional() @IsString() @MaxLength(SHORT_TEXT) titleVi?: string;
  @Optional() @IsString() @MaxLength(SHORT_TEXT) titleSecond?: string;
  @Optional() @IsString() @MaxLength(LONG_TEXT) summaryVi?: string;
  @Optional() @IsString() @MaxLength(LONG_TEXT) summarySecond?: string;
  /** The summary's recordings (media ids), Vietnamese and the second language. */
  @Optional() @IsString() @MaxLength(60) summaryVoiceVi?: string;
  @Optional() @IsString() @MaxLength(60) summaryVoiceSecond?: string;
}
