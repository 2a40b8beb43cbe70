import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Optional } from '../http/input-rules.js';
import { NormalizedText } from '../http/text.js';

/** A short text in each language; Vietnamese is required. */
export class LocalizedShortTextDto {
  @ApiProperty({ example: 'Người cao tuổi' }) @NormalizedText() @IsString() @Length(1, 200) vi!: string;
  @ApiPropertyOptional({ example: 'Cov neeg laus' })
  @Optional()
  @NormalizedText()
  @IsString()
  @Length(1, 200)
  hmn?: string;
  @ApiPropertyOptional({ example: 'Elderly people' })
  @Optional()
  @NormalizedText()
  @IsString()
  @Length(1, 200)
  en?: string;
  @ApiPropertyOptional() @Optional() @NormalizedText() @IsString() @Length(1, 200) ium?: string;
  @ApiPropertyOptional() @Optional() @NormalizedText() @IsString() @Length(1, 200) tyz?: string;
}

export class LocalizedLongTextDto {
  @ApiPropertyOptional() @Optional() @NormalizedText() @IsString() @Length(1, 1000) vi?: string;
  @ApiPropertyOptional() @Optional() @NormalizedText() @IsString() @Length(1, 1000) hmn?: string;
  @ApiPropertyOptional() @Optional() @NormalizedText() @IsString() @Length(1, 1000) en?: string;
  @ApiPropertyOptional() @Optional() @NormalizedText() @IsString() @Length(1, 1000) ium?: string;
  @ApiPropertyOptional() @Optional() @NormalizedText() @IsString() @Length(1, 1000) tyz?: string;
}

export class LocalizedValueResponse {
  @ApiProperty() text!: string;
  @ApiProperty({ description: 'The language actually served' }) locale!: string;
  @ApiProperty({ description: "True when the learner's first language was missing" }) fallback!: boolean;
}
