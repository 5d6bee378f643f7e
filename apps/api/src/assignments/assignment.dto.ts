import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { ASSIGNMENT_KINDS } from '@dieu-hanh/domain/assignment';
import { STATUS_CODES, type StatusCode } from '@dieu-hanh/domain';
import { IsIsoDate, IsQueryBoolean } from '../common/validation';

/**
 * One file of a submission: either a file uploaded with POST /api/assignments/{id}/files,
 * named by `fileId` and the `sha256` the upload answered, or a file kept elsewhere, named by
 * `name` and `ref`.
 */
export class AttachmentDto {
  @ApiPropertyOptional({ description: 'An uploaded file: its id' })
  @ValidateIf((a: AttachmentDto) => a.fileId !== undefined || a.ref === undefined)
  @IsUUID()
  fileId?: string;

  @ApiPropertyOptional({ description: 'An uploaded file: the SHA-256 (hex) the upload answered' })
  @ValidateIf((a: AttachmentDto) => a.fileId !== undefined)
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hex digits' })
  sha256?: string;

  @ApiPropertyOptional({ example: 'du-thao-ke-hoach.docx', description: 'A file kept elsewhere: its name' })
  @ValidateIf((a: AttachmentDto) => a.fileId === undefined)
  @IsString()
  @Length(1, 300)
  name?: string;

  @ApiPropertyOptional({ example: 'vbdh://2020/01/1234', description: 'A file kept elsewhere: where it lives' })
  @ValidateIf((a: AttachmentDto) => a.fileId === undefined)
  @IsString()
  @Length(1, 1000)
  ref?: string;
}

export class SubmitDraftDto {
  @ApiProperty({ description: 'The version this submission creates (1 for the first); guards against stale or repeated submissions' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  version!: number;

  @ApiProperty({ description: 'Text of the draft' })
  @IsString()
  @Length(1, 200_000)
  text!: string;

  @ApiProperty({ type: [AttachmentDto] })
  @IsArray()
  @ArrayMaxSize(50)
  // ValidateNested alone takes an array of arrays of attachments; each must be an object.
  @IsObject({ each: true })
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

/** The answer of the body a report went to, to the difficulties reported with one version (III.6). */
export class DifficultyAnswerDto {
  @ApiProperty({ example: 1, description: 'The report version whose difficulties are answered' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  version!: number;

  @ApiProperty({ description: 'The answer, shown to the reporting unit' })
  @IsString()
  @Length(1, 20_000)
  text!: string;
}

export class ListAssignmentsQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) plan?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) unit?: string;
  @ApiPropertyOptional({ enum: ASSIGNMENT_KINDS }) @IsOptional() @IsIn(ASSIGNMENT_KINDS) kind?: string;
  @ApiPropertyOptional({ enum: ['open', 'awaiting-approval', 'done', 'rejected', 'cancelled'] })
  @IsOptional()
  @IsIn(['open', 'awaiting-approval', 'done', 'rejected', 'cancelled'])
  lifecycle?: string;
  @ApiPropertyOptional({ description: 'yyyy-mm-dd: effective deadline on or before' }) @IsOptional() @IsIsoDate() dueBefore?: string;
  @ApiPropertyOptional({ description: 'true: only overdue assignments; false: only those not overdue' }) @IsOptional() @IsQueryBoolean() overdue?: boolean;
  @ApiPropertyOptional({ enum: STATUS_CODES, isArray: true, description: 'Statuses to keep (comma-separated or repeated), as the domain defines them' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsArray()
  @ArrayMaxSize(STATUS_CODES.length)
  @IsIn(STATUS_CODES, { each: true })
  status?: StatusCode[];
  @ApiPropertyOptional({ enum: ['dueAt', '-dueAt', 'updatedAt', '-updatedAt'] })
  @IsOptional()
  @IsIn(['dueAt', '-dueAt', 'updatedAt', '-updatedAt'])
  sort?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) pageSize?: number;
}
