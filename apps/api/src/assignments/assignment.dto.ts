import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDateString, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { ASSIGNMENT_KINDS } from '@dieu-hanh/domain/assignment';

export class AttachmentDto {
  @ApiProperty({ example: 'du-thao-ke-hoach.docx' })
  @IsString()
  @Length(1, 300)
  name!: string;

  @ApiProperty({ example: 'vbdh://2020/01/1234', description: 'Reference to where the file lives' })
  @IsString()
  @Length(1, 1000)
  ref!: string;
}

export class SubmitDraftDto {
  @ApiProperty({ description: 'The version this submission creates (1 for the first); guards against stale or repeated submissions' })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiProperty({ description: 'Text of the draft' })
  @IsString()
  @Length(1, 200_000)
  text!: string;

  @ApiProperty({ type: [AttachmentDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments!: AttachmentDto[];
}

export class SubmitReportDto extends SubmitDraftDto {
  @ApiPropertyOptional({ description: 'Concretisation plans: the number of the plan carried out' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  cites?: string;

  @ApiPropertyOptional({ description: 'Monthly reports: difficulties; filling it escalates at once' })
  @IsOptional()
  @IsString()
  @Length(1, 20_000)
  difficulties?: string;
}

export class ListAssignmentsQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() plan?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() unit?: string;
  @ApiPropertyOptional({ enum: ASSIGNMENT_KINDS }) @IsOptional() @IsIn(ASSIGNMENT_KINDS) kind?: string;
  @ApiPropertyOptional({ enum: ['open', 'awaiting-approval', 'done', 'rejected', 'cancelled'] })
  @IsOptional()
  @IsIn(['open', 'awaiting-approval', 'done', 'rejected', 'cancelled'])
  lifecycle?: string;
  @ApiPropertyOptional({ description: 'ISO date: effective deadline on or before' }) @IsOptional() @IsDateString() dueBefore?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Boolean) @IsBoolean() overdue?: boolean;
  @ApiPropertyOptional({ enum: ['dueAt', '-dueAt', 'updatedAt', '-updatedAt'] })
  @IsOptional()
  @IsIn(['dueAt', '-dueAt', 'updatedAt', '-updatedAt'])
  sort?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) pageSize?: number;
}
