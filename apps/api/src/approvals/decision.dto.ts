import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class DecisionDto {
  @ApiProperty({ description: 'The draft version being decided (refused when stale)' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  version!: number;

  @ApiProperty({ description: 'The approval step being decided, e.g. vptu-review' })
  @IsString()
  @Length(1, 100)
  step!: string;

  @ApiProperty({ enum: ['approve', 'request-changes', 'reject'] })
  @IsIn(['approve', 'request-changes', 'reject'])
  decision!: 'approve' | 'request-changes' | 'reject';

  @ApiPropertyOptional({ description: 'Required to request changes or reject' })
  @IsOptional()
  @IsString()
  @Length(0, 20_000)
  comment?: string;
}
