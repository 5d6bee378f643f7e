import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ASSIGNMENT_KINDS } from '@dieu-hanh/domain/assignment';
import { PageOf } from '../common/api-contract';
import { WORKFLOW_STATE } from '../common/shared.responses';

export const LIFECYCLES = ['open', 'awaiting-approval', 'done', 'rejected', 'cancelled'];

/** An assignment as lists show it (the read model). */
export class AssignmentSummaryDto {
  @ApiProperty({ example: 'drafting:KH-TW-2020-v1:FT2:BTG-TU' }) id!: string;
  @ApiProperty({ example: 'KH-TW-2020-v1' }) planKey!: string;
  @ApiProperty({ enum: ASSIGNMENT_KINDS }) kind!: string;
  @ApiProperty({ type: [String], example: ['FT2'] }) taskCodes!: string[];
  @ApiProperty({ example: 'BTG-TU' }) leadUnit!: string;
  @ApiProperty({ example: 'Xây dựng kế hoạch chi tiết thực hiện nhiệm vụ tập trung 2' }) title!: string;
  @ApiProperty({ enum: LIFECYCLES }) lifecycle!: string;
  @ApiProperty({ example: '2020-03-31' }) nominalDeadline!: string;
  @ApiProperty({ example: '2020-03-31' }) effectiveDeadline!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ format: 'date-time' }) originalDueAt!: string;
  @ApiProperty({ example: 0 }) escalationLevel!: number;
  @ApiProperty({ example: 1 }) submissionCount!: number;
  @ApiProperty({ nullable: true, type: String, example: 'approval:drafting:KH-TW-2020-v1:FT2:BTG-TU:v1' }) approvalId!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) completedAt!: string | null;
}

export class AssignmentPage extends PageOf(AssignmentSummaryDto, 'AssignmentPage') {}

export class AssignmentDetailDto extends AssignmentSummaryDto {
  @ApiProperty({ type: [String], example: ['VP-TU'] }) coordinatingUnits!: string[];
  @ApiProperty(WORKFLOW_STATE) state!: Record<string, unknown>;
}

export class DifficultyAnsweredDto {
  @ApiProperty() assignmentId!: string;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ example: '2020-03-02T08:15:00.000Z' }) answeredAt!: string;
}

export class SubmitResultDto {
  @ApiProperty({ example: 1 }) version!: number;
  @ApiPropertyOptional({ example: 'approval:drafting:KH-TW-2020-v1:FT2:BTG-TU:v1', description: 'The approval this draft opened (kinds with an approval chain)' }) approvalId?: string;
}
