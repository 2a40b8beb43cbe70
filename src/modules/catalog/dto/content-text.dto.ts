import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { NormalizedText } from '../../../infrastructure/http/text.js';

/** Learner-visible text of a course or lesson in each content language; Vietnamese required. */
export class ContentTitleDto {
  @ApiProperty({ example: 'Thanh toán tiền điện qua điện thoại' })
  @NormalizedText()
  @IsString()
  @Length(1, 200)
  vi!: string;
  @ApiPropertyOptional({ description: "H'Mông" })
  @IsOptional()
  @NormalizedText()
  @IsString()
  @Length(1, 200)
  hmn?: string;
  @ApiPropertyOptional({ description: 'Dao' })
  @IsOptional()
  @NormalizedText()
  @IsString()
  @Length(1, 200)
  ium?: string;
  @ApiPropertyOptional({ description: 'Tày' })
  @IsOptional()
  @NormalizedText()
  @IsString()
  @Length(1, 200)
  tyz?: string;
}

/** Longer text (summaries, guide steps, feedback); every language optional, line breaks kept. */
export class ContentBodyDto {
  @ApiPropertyOptional()
  @IsOptional()
  @NormalizedText({ multiline: true })
  @IsString()
  @Length(1, 4000)
  vi?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @NormalizedText({ multiline: true })
  @IsString()
  @Length(1, 4000)
  hmn?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @NormalizedText({ multiline: true })
  @IsString()
  @Length(1, 4000)
  ium?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @NormalizedText({ multiline: true })
  @IsString()
  @Length(1, 4000)
  tyz?: string;
}

/** Body text that must exist at least in Vietnamese (guide steps, quiz prompts and options). */
export class RequiredContentBodyDto extends ContentBodyDto {
  @ApiProperty() @NormalizedText({ multiline: true }) @IsString() @Length(1, 4000) declare vi: string;
}
