import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Optional } from '../http/input-rules.js';
import { NormalizedText } from '../http/text.js';

const TITLE_MAX = 200;
const BODY_MAX = 4000;

/** One language's text: normalised, a non-empty string of at most `max` characters. */
const Text = (max: number, multiline: boolean) =>
  applyDecorators(NormalizedText({ multiline }), IsString(), Length(1, max));
/** The same, for a language that may be left out. */
const OptionalText = (max: number, multiline: boolean, description?: string) =>
  applyDecorators(ApiPropertyOptional({ description }), Optional(), Text(max, multiline));

/** Learner-visible text of a course or lesson in each content language; Vietnamese required. */
export class ContentTitleDto {
  @ApiProperty({ example: 'Thanh toán tiền điện qua điện thoại' }) @Text(TITLE_MAX, false) vi!: string;
  @OptionalText(TITLE_MAX, false, "H'Mông") hmn?: string;
  @OptionalText(TITLE_MAX, false, 'Dao') ium?: string;
  @OptionalText(TITLE_MAX, false, 'Tày') tyz?: string;
}

/** Longer text (summaries, guide steps, feedback); every language optional, line breaks kept. */
export class ContentBodyDto {
  @OptionalText(BODY_MAX, true) vi?: string;
  @OptionalText(BODY_MAX, true) hmn?: string;
  @OptionalText(BODY_MAX, true) ium?: string;
  @OptionalText(BODY_MAX, true) tyz?: string;
}

/**
 * Body text that must exist at least in Vietnamese (guide steps, quiz prompts and options). Not a
 * subclass of ContentBodyDto: class-validator would inherit its `@Optional()` on `vi`, which skips
 * every rule of the property when it is missing.
 */
export class RequiredContentBodyDto {
  @ApiProperty() @Text(BODY_MAX, true) vi!: string;
  @OptionalText(BODY_MAX, true) hmn?: string;
  @OptionalText(BODY_MAX, true) ium?: string;
  @OptionalText(BODY_MAX, true) tyz?: string;
}
