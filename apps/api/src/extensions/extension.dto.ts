import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { IsIsoDate } from '../common/validation';

export class ExtensionRequestDto {
  @ApiProperty({ description: 'Why the unit needs more time' })
  @IsString()
  @Length(3, 5000)
  reason!: string;

  @ApiProperty({ example: '2020-02-14', description: 'Proposed new deadline, yyyy-mm-dd (local date)' })
  @IsIsoDate()
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
  @IsIsoDate()
  date?: string;
}

export class DeadlineShiftDto {
  @ApiProperty({ example: '2020-03-16', description: 'New deadline for every open assignment of the plan, yyyy-mm-dd' })
  @IsIsoDate()
  date!: string;

  @ApiProperty({ description: 'The reason, e.g. the official notice that moves the deadlines' })
  @IsString()
  @Length(3, 5000)
  reason!: string;
}

/** Filters of the pending requests (a short list, unpaged: README, "Lists"); any other parameter is a 400. */
export class PendingExtensionsQuery {
  @ApiPropertyOptional({ description: 'Only this plan (its key, e.g. KH-TW-2020-v1)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  plan?: string;
}
