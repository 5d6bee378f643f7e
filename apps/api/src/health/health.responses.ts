import { ApiProperty } from '@nestjs/swagger';

class CheckDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: string;
}

export class HealthDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: string;
  @ApiProperty({ type: CheckDto }) api!: CheckDto;
  @ApiProperty({ type: CheckDto }) database!: CheckDto;
  @ApiProperty({ type: CheckDto }) temporal!: CheckDto;
}
