import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class CheckDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: string;
}

class NoticesCheckDto {
  @ApiProperty({ enum: ['up', 'undeliverable', 'down'], description: "'undeliverable': some notices' e-mail can never go out (see /notifications/undeliverable)" })
  status!: string;
  @ApiPropertyOptional({ description: 'How many notices cannot be e-mailed' }) undeliverable?: number;
}

class RefusalsCheckDto {
  @ApiProperty({ enum: ['up', 'unrecorded'], description: "'unrecorded': this API process could not write some refused attempts to the audit log" })
  status!: string;
  @ApiPropertyOptional({ description: 'How many refused attempts were not recorded since the process started' }) unrecorded?: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the last one was lost' }) lastAt?: string;
}

export class HealthDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: string;
  @ApiProperty({ type: CheckDto }) api!: CheckDto;
  @ApiProperty({ type: CheckDto }) database!: CheckDto;
  @ApiProperty({ type: CheckDto }) temporal!: CheckDto;
  @ApiProperty({ type: NoticesCheckDto }) notices!: NoticesCheckDto;
  @ApiProperty({ type: RefusalsCheckDto }) refusals!: RefusalsCheckDto;
}
