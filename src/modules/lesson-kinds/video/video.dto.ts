import { ApiProperty } from '@nestjs/swagger';

export class VideoProgressResponse {
  @ApiProperty({ description: 'Seconds actually watched (merged intervals)' }) watchedSeconds!: number;
  @ApiProperty({ nullable: true, type: Number }) durationSeconds!: number | null;
  @ApiProperty({ example: 0.42 }) watchedShare!: number;
  @ApiProperty({ example: 0.9, description: 'Share needed to complete' }) requiredShare!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Where to resume' }) positionSeconds!:
    number | null;
}
