import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsOptional, IsString, Length } from 'class-validator';

export class ExtensionRequestDto {
  @ApiProperty({ description: 'Why the unit needs more time' })
  @IsString()
  @Length(3, 5000)
  reason!: string;

  @ApiProperty({ example: '2020-02-14', description: 'Proposed new deadline, yyyy-mm-dd (local date)' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Length(10, 10, { message: 'proposedDate must be a date yyyy-mm-dd' })
  proposedDate!: string;
}

export class ExtensionDecisionDto {
  @ApiProperty()
  @IsBoolean()
  granted!: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 5000)
  comment?: string;

  @ApiPropertyOptional({ description: 'Granted date when it differs from the proposed one, yyyy-mm-dd' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Length(10, 10, { message: 'date must be a date yyyy-mm-dd' })
  date?: string;
}

export class DeadlineShiftDto {
  @ApiProperty({ example: '2020-03-16', description: 'New deadline for every open assignment of the plan, yyyy-mm-dd' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Length(10, 10, { message: 'date must be a date yyyy-mm-dd' })
  date!: string;

  @ApiProperty({ description: 'The reason, e.g. the official notice that moves the deadlines' })
  @IsString()
  @Length(3, 5000)
  reason!: string;
}
