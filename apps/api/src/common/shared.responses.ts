import { ApiProperty } from '@nestjs/swagger';

/** Response bodies shared by several modules (issue 14: every operation documents its answers). */

export class ActorDto {
  @ApiProperty({ example: '5b0c8a4e-2f7e-4d0b-9b1e-3c1f0e6a7d21' }) userId!: string;
  @ApiProperty({ example: 'Nguyễn Văn An' }) name!: string;
  @ApiProperty({ example: 'BTG-TU' }) unit!: string;
  @ApiProperty({ type: [String], example: ['approver', 'unit-head'] }) roles!: string[];
}

export class DeadlineDto {
  @ApiProperty({ example: '2020-01-31', description: 'The deadline the plan gives, yyyy-mm-dd' }) nominal!: string;
  @ApiProperty({ example: '2020-02-03', description: 'The deadline in force (working days, extensions, shifts)' }) effective!: string;
  @ApiProperty({ example: '2020-02-03T23:59:59+07:00', description: 'The instant the deadline passes' }) dueAt!: string;
}

/** A workflow's reducer state as the workflow keeps it: its fields are documented in libs/domain. */
export const WORKFLOW_STATE = {
  type: 'object',
  additionalProperties: true,
  description: 'The workflow\'s own state (libs/domain AssignmentState / ApprovalState); fields may be added, never removed within a version',
} as const;
