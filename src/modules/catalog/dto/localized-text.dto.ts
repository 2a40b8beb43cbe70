import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { NormalizedText } from '../../../infrastructure/http/text.js';

/** A short text in each language; Vietnamese is required. */
export class LocalizedShortTextDto {
  @ApiProperty({ example: 'Người cao tuổi' }) @NormalizedText() @IsString() @Length(1, 200) vi!: string;
  @ApiPropertyOptional({ example: 'Cov neeg laus' })
  @IsOptional()
  @NormalizedText()
  @IsString()
  @Length(1, 200)
  hmn?: string;
  @ApiPropertyOptional({ example: 'Elderly people' })
  @IsOptional()
  @NormalizedText()
  @IsString()
  @Length(1, 200)
  en?: string;
  @ApiPropertyOptional() @IsOptional() @NormalizedText() @IsString() @Length(1, 200) ium?: string;
  @ApiPropertyOptional() @IsOptional() @NormalizedText() @IsString() @Length(1, 200) tyz?: string;
}

export class LocalizedLongTextDto {
  @ApiPropertyOptional() @IsOptional() @NormalizedText() @IsString() @Length(1, 1000) vi?: string;
  @ApiPropertyOptional() @IsOptional() @NormalizedText() @IsString() @Length(1, 1000) hmn?: string;
  @ApiPropertyOptional() @IsOptional() @NormalizedText() @IsString() @Length(1, 1000) en?: string;
  @ApiPropertyOptional() @IsOptional() @NormalizedText() @IsString() @Length(1, 1000) ium?: string;
  @ApiPropertyOptional() @IsOptional() @NormalizedText() @IsString() @Length(1, 1000) tyz?: string;
}

export class LocalizedValueResponse {
  @ApiProperty() text!: string;
  @ApiProperty({ description: 'The language actually served' }) locale!: string;
  @ApiProperty({ description: "True when the learner's first language was missing" }) fallback!: boolean;
}
