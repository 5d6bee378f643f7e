import { ApiProperty } from '@nestjs/swagger';
import { WORKFLOW_STATE } from '../common/shared.responses';

export class ApprovalDto {
  @ApiProperty({ example: 'approval:drafting:KH-TW-2020-v1:FT2:BTG-TU:v1' }) id!: string;
  @ApiProperty({ example: 'drafting:KH-TW-2020-v1:FT2:BTG-TU' }) assignmentId!: string;
  @ApiProperty({ example: 'KH-TW-2020-v1' }) planKey!: string;
  @ApiProperty({ example: 'BTG-TU' }) leadUnit!: string;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ nullable: true, type: String, example: 'truong-ban', description: 'The step waiting for a decision; null once closed' }) currentStep!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'BTG-TU' }) currentUnit!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'unit-head' }) currentRole!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['approve', 'request-changes', 'reject', 'cancelled', null] as string[] }) outcome!: string | null;
  @ApiProperty() seq!: number;
  @ApiProperty(WORKFLOW_STATE) state!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** The approval workflow's state after the decision, answered by the workflow itself. */
export class ApprovalStateDto {
  @ApiProperty() approvalId!: string;
  @ApiProperty() assignmentId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'The steps, in order' }) chain!: Record<string, unknown>[];
  @ApiProperty({ description: 'Index of the step waiting; chain.length once approved' }) stepIndex!: number;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'Decisions so far, with who decided (and for whom, under a delegation) and the comment' })
  decisions!: Record<string, unknown>[];
  @ApiProperty({ required: false, enum: ['approve', 'request-changes', 'reject', 'cancelled'] }) outcome?: string;
  @ApiProperty({ required: false, format: 'date-time' }) closedAt?: string;
  @ApiProperty() seq!: number;
}
