import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { Optional } from '../../../infrastructure/http/input-rules.js';
import { PageMetaDto, PageQueryDto } from '../../../infrastructure/http/pagination.js';
import { NormalizedText } from '../../../infrastructure/http/text.js';
import { LOCALITY_LEVELS, type LocalityLevel } from '../entities/locality.entity.js';

export class LocalityQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only the children of this locality' })
  @Optional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ enum: LOCALITY_LEVELS })
  @Optional()
  @IsIn(LOCALITY_LEVELS)
  level?: LocalityLevel;

  @ApiPropertyOptional({ description: 'Accent-insensitive name search: "sai duan" finds "Sải Duần"' })
  @Optional()
  @NormalizedText()
  @IsString()
  @Length(1, 80)
  q?: string;
}

export class CreateLocalityDto {
  @ApiProperty({
    example: '02683-004',
    description: 'Province 2 digits, commune 5 digits, village commune code + "-NNN"',
  })
  @IsString()
  @Length(2, 16)
  code!: string;

  @ApiProperty({ enum: LOCALITY_LEVELS })
  @IsIn(LOCALITY_LEVELS)
  level!: LocalityLevel;

  @ApiProperty({ example: 'thôn', description: 'tỉnh; xã / phường / đặc khu; thôn / bản / tổ dân phố' })
  @NormalizedText()
  @IsString()
  @Length(1, 24)
  kind!: string;

  @ApiProperty({ example: 'Sải Duần' })
  @NormalizedText()
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiPropertyOptional({ description: 'Required for communes and villages' })
  @Optional()
  @IsUUID()
  parentId?: string;
}

export class UpdateLocalityDto {
  @ApiPropertyOptional() @Optional() @IsString() @Length(2, 16) code?: string;
  @ApiPropertyOptional() @Optional() @NormalizedText() @IsString() @Length(1, 24) kind?: string;
  @ApiPropertyOptional()
  @Optional()
  @NormalizedText()
  @IsString()
  @MaxLength(120)
  @Length(1, 120)
  name?: string;
}

export class LocalityResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty({ enum: LOCALITY_LEVELS }) level!: LocalityLevel;
  @ApiProperty() kind!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'e.g. "thôn Sải Duần"' }) fullName!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) parentId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) parentName?: string | null;
  @ApiPropertyOptional() childCount?: number;
}

export class LocalityDetailResponse extends LocalityResponse {
  @ApiProperty({ type: [LocalityResponse], description: 'Province first, down to this locality' })
  lineage!: LocalityResponse[];
}

export class LocalityPageResponse {
  @ApiProperty({ type: [LocalityResponse] }) items!: LocalityResponse[];
  @ApiProperty({ type: PageMetaDto }) meta!: PageMetaDto;
}
