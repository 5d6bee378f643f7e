import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STATUS_CODES, UNIT_ENDINGS } from '@dieu-hanh/domain';

export class PlanDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'KH-TW-2020', description: 'The plan\'s code in its file' }) code!: string;
  @ApiProperty({ example: 1, description: 'Version of this code (1, 2, … for each different file)' }) version!: number;
  @ApiProperty({ example: 'KH-TW-2020-v1', description: 'code-vVersion: used in assignment ids' }) key!: string;
  @ApiProperty({ example: '01-KH/TU' }) number!: string;
  @ApiProperty({ example: 'Kế hoạch thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh năm 2020' }) title!: string;
  @ApiProperty({ description: 'sha-256 of the canonical definition' }) fingerprint!: string;
  @ApiProperty({ example: 'vanphong' }) importedBy!: string;
  @ApiProperty({ format: 'date-time' }) importedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) launchedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'plan:KH-TW-2020-v1' }) workflowId!: string | null;
}

export class PlanWithDefinitionDto extends PlanDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The parsed plan definition (see /api/plans/schema)' }) definition!: Record<string, unknown>;
}

export class ImportedPlanDto extends PlanDto {
  @ApiProperty({ description: 'true: a new version was stored (201); false: this exact file was already there (200)' }) created!: boolean;
}

export class LaunchResultDto {
  @ApiProperty({ example: 'plan:KH-TW-2020-v1' }) workflowId!: string;
  @ApiProperty({ example: 48, description: 'How many assignments the plan workflow starts' }) assignments!: number;
}

export class CloseResultDto {
  @ApiProperty({ example: 'plan:KH-TW-2020-v1' }) workflowId!: string;
  @ApiProperty({ example: true }) closing!: boolean;
}

export class ShiftOutcomeDto {
  @ApiProperty() assignmentId!: string;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional({ example: '2020-02-10', description: 'The new effective deadline' }) deadline?: string;
  @ApiPropertyOptional({ description: 'Why this assignment was not moved' }) error?: string;
}

export class ShiftResultDto {
  @ApiProperty() shifted!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({ type: [ShiftOutcomeDto] }) results!: ShiftOutcomeDto[];
}

class MatrixPlanDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() key!: string;
  @ApiProperty() number!: string;
  @ApiProperty() title!: string;
}

class MatrixTaskDto {
  @ApiProperty({ example: 'FT2' }) code!: string;
  @ApiProperty({ example: 'focus' }) kind!: string;
  @ApiProperty({ example: 2 }) number!: number;
}


export class MatrixCellDto {
  @ApiProperty() assignmentId!: string;
  @ApiProperty({ example: 'drafting' }) kind!: string;
  @ApiProperty({ enum: [...STATUS_CODES] }) status!: string;
  @ApiProperty({ example: '2020-03-31' }) effectiveDeadline!: string;
  @ApiProperty({ example: 0 }) escalationLevel!: number;
}

class MatrixUnitDto {
  @ApiProperty({ example: 'BTG-TU' }) unit!: string;
  @ApiProperty({ example: 'Ban Tuyên giáo Tỉnh ủy' }) name!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { $ref: '#/components/schemas/MatrixCellDto' } },
    description: 'Task code -> that unit\'s assignments for the task (\'-\' for those tied to no task)',
  })
  cells!: Record<string, MatrixCellDto[]>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Status -> count', example: { 'not-due': 3, overdue: 1 } })
  stats!: Record<string, number>;
}

export class PlanMatrixDto {
  @ApiProperty({ type: MatrixPlanDto }) plan!: MatrixPlanDto;
  @ApiProperty({ type: [MatrixTaskDto] }) tasks!: MatrixTaskDto[];
  @ApiProperty({ type: [MatrixUnitDto] }) units!: MatrixUnitDto[];
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
}

class AmendmentCodesDto {
  @ApiProperty({ type: [String], example: ['III.5-BTG-SK'] }) added!: string[];
  @ApiProperty({ type: [String], example: ['III.2-BTC'] }) removed!: string[];
  @ApiProperty({ type: [String], example: ['III.5-BTG'] }) changed!: string[];
}

class AmendedAssignmentDto {
  @ApiProperty({ example: 'review:TV-BTV-2020@v1:-:BTG-TU' }) id!: string;
  @ApiProperty({ example: 'III.5-BTG', description: 'The obligation of the plan it comes from (empty when it is not known)' }) obligationId!: string;
  @ApiProperty({ example: 'review' }) kind!: string;
  @ApiProperty({ example: 'BTG-TU' }) leadUnit!: string;
  @ApiProperty({ type: [String], example: ['FT1'] }) taskCodes!: string[];
  @ApiProperty({ example: 'Sơ kết công tác tuyên truyền' }) title!: string;
}

class AmendedDeadlineValueDto {
  @ApiProperty({ example: '2020-12-31' }) nominal!: string;
  @ApiProperty({ example: '2020-12-31' }) effective!: string;
  @ApiProperty({ example: '2020-12-31T23:59:59+07:00' }) dueAt!: string;
}

class AmendedDeadlineDto extends AmendedAssignmentDto {
  @ApiProperty({ type: AmendedDeadlineValueDto }) from!: AmendedDeadlineValueDto;
  @ApiProperty({ type: AmendedDeadlineValueDto }) to!: AmendedDeadlineValueDto;
}

class HandoverDto extends AmendedAssignmentDto {
  @ApiProperty({ example: 'HU-CK', description: 'The unit that ended' }) from!: string;
  @ApiProperty({ example: 'DU-X-CAUKE', description: 'The successor that leads it from now on' }) to!: string;
  @ApiPropertyOptional({ enum: [...UNIT_ENDINGS], description: 'How the unit ended, when the plan says' }) endedBy?: string;
  @ApiPropertyOptional({ description: 'The successor is assumed (GIẢ ĐỊNH), not named by a decision' }) successorAssumed?: boolean;
}

class WorkHandoverDto extends HandoverDto {
  @ApiPropertyOptional({ example: '2026-10', description: 'A report period of the duty (its key: 2026-10, 2026-Q1, …); absent: the duty itself (its periods from now on)' }) period?: string;
}

class AmendmentAssignmentsDto {
  @ApiProperty({ type: [AmendedAssignmentDto], description: 'Started by the amendment' }) added!: AmendedAssignmentDto[];
  @ApiProperty({ type: [AmendedAssignmentDto], description: 'Cancelled by the amendment' }) removed!: AmendedAssignmentDto[];
  @ApiProperty({ type: [AmendedDeadlineDto] }) deadlineChanged!: AmendedDeadlineDto[];
  @ApiProperty({ type: [HandoverDto], description: 'Assignments whose lead unit ended, passed to its successor' }) handedOver!: HandoverDto[];
  @ApiProperty({ type: [AmendedAssignmentDto], description: 'Lead unit ended with no successor: left with it (a warning)' }) orphaned!: AmendedAssignmentDto[];
  @ApiPropertyOptional({
    type: [WorkHandoverDto],
    description: 'Periodic duties of units that have ended, and their open report periods, passed to the successor (absent on amendments applied before this was listed)',
  })
  dutiesHandedOver?: WorkHandoverDto[];
  @ApiPropertyOptional({
    type: [WorkHandoverDto],
    description: 'Open on-demand assignments (khi cần thiết) of units that have ended, passed to the successor; title is the obligation\'s (absent on amendments applied before this was listed)',
  })
  onDemandHandedOver?: WorkHandoverDto[];
}

class AmendmentDiffDto {
  @ApiProperty({ type: AmendmentCodesDto, description: 'Obligation ids' }) obligations!: AmendmentCodesDto;
  @ApiProperty({ type: AmendmentCodesDto, description: 'Unit codes' }) units!: AmendmentCodesDto;
  @ApiProperty({ type: AmendmentAssignmentsDto }) assignments!: AmendmentAssignmentsDto;
  @ApiProperty({ description: 'Nothing a running plan carries changes' }) empty!: boolean;
}

/** What applying a new version to the running plan changes (see docs/plan-format.md, amendments). */
export class AmendmentPreviewDto {
  @ApiProperty({ example: 'TV-BTV-2020@v2', description: 'The new version' }) plan!: string;
  @ApiProperty({ example: 'TV-BTV-2020@v1', description: 'The running (launched) version it amends' }) amends!: string;
  @ApiProperty({ example: 'TV-BTV-2020@v1', description: 'The version in force now (the last amendment applied, or the launched one)' }) inForce!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'When it was applied; absent or null while it is a preview' }) appliedAt?: string | null;
  @ApiProperty({ type: AmendmentDiffDto, description: 'Obligations, units and assignments added, removed, changed, handed over (libs/domain `describeAmendment`)' }) diff!: AmendmentDiffDto;
}

export class AppliedAmendmentDto extends AmendmentPreviewDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, description: 'The change as the plan workflow recorded it' }) change!: Record<string, unknown> | null;
}

export class LaunchMoreResultDto {
  @ApiProperty({ example: 'plan:TV-BTV-2020@v1' }) workflowId!: string;
  @ApiProperty({ example: 3, description: 'How many assignments were asked for (already running ones are not started again)' }) requested!: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true }) change!: Record<string, unknown> | null;
}

export class PlanProgressDto {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Each change the running plan took (later launches, amendments, scheduled unit ends: kind "unit-end"), in order',
  })
  changes?: Record<string, unknown>[];
  @ApiPropertyOptional({ example: 2, description: 'Assignments units opened from an available obligation (khi cần thiết), children of the plan' }) onDemand?: number;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Units that end later, whose open work the plan hands to their successor at `at` (unit, validTo, successor, at)',
  })
  unitEnds?: Record<string, unknown>[];
}
