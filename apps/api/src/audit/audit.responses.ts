import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WORKFLOW_STATE } from '../common/shared.responses';

const SOURCES = ['temporal', 'archive', 'import'];
const LOOSE = { type: 'object', additionalProperties: true } as const;

class ChainRunDto {
  @ApiProperty() runId!: string;
  @ApiProperty({ ...LOOSE, description: 'The run\'s history as `temporal workflow show --output json` writes it ({ events: [...] })' }) history!: Record<string, unknown>;
}

export class HistoryChainDto {
  @ApiProperty() workflowId!: string;
  @ApiProperty({ example: 'assignmentWorkflow' }) workflowType!: string;
  @ApiProperty({ enum: SOURCES }) source!: string;
  @ApiPropertyOptional({ example: 'import:5b0c8a4e-2f7e-4d0b-9b1e-3c1f0e6a7d21' }) importId?: string;
  @ApiProperty({ type: [ChainRunDto], description: 'Every run, continue-as-new followed, oldest first' }) runs!: ChainRunDto[];
}

export class TimelineDto {
  @ApiProperty() workflowId!: string;
  @ApiProperty() workflowType!: string;
  @ApiProperty({ enum: SOURCES }) source!: string;
  @ApiPropertyOptional() temporalUiUrl?: string;
  @ApiProperty({ type: 'array', items: LOOSE, description: 'Who did what when, in the asked language (lang=vi|en), oldest first' }) entries!: Record<string, unknown>[];
}

export class StateAtEventDto {
  @ApiProperty({ enum: ['assignment', 'approval', 'plan', 'monthly-report'] }) kind!: string;
  @ApiProperty({ example: 12 }) eventId!: number;
  @ApiProperty(WORKFLOW_STATE) state!: Record<string, unknown>;
}

export class RefusalDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ example: 'Lê Văn Cường' }) name!: string;
  @ApiProperty({ example: 'BTG-TU' }) unit!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ example: 'POST' }) method!: string;
  @ApiProperty() path!: string;
  @ApiProperty({ nullable: true, type: String }) workflowId!: string | null;
  @ApiProperty({ example: 403 }) status!: number;
  @ApiProperty({ example: 'FORBIDDEN' }) code!: string;
  @ApiProperty({ example: 'NOT_AUTHORISED' }) reason!: string;
}

class ReplayErrorDto {
  @ApiProperty() message!: string;
  @ApiPropertyOptional() eventId?: number;
}

class RunReplayDto {
  @ApiProperty() runId!: string;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional({ type: ReplayErrorDto }) error?: ReplayErrorDto;
}

export class ReplayResultDto {
  @ApiProperty() workflowId!: string;
  @ApiProperty() runId!: string;
  @ApiProperty({ description: 'true: today\'s workflow code replays the recorded history without divergence' }) ok!: boolean;
  @ApiPropertyOptional({ type: ReplayErrorDto }) error?: ReplayErrorDto;
  @ApiPropertyOptional({ type: [RunReplayDto] }) runs?: RunReplayDto[];
}

export class PlanWorkflowsDto {
  @ApiProperty({ example: 'KH-TW-2020' }) plan!: string;
  @ApiProperty({ type: [String] }) workflowIds!: string[];
}

export class PlanVerifyDto {
  @ApiProperty({ example: 'KH-TW-2020' }) plan!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty() checked!: number;
  @ApiProperty({ type: [ReplayResultDto] }) results!: ReplayResultDto[];
}

class ImportedRunDto {
  @ApiProperty() runId!: string;
  @ApiProperty({ description: 'Number of history events' }) events!: number;
}

export class ImportResultDto {
  @ApiPropertyOptional() importId?: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty() workflowType!: string;
  @ApiProperty({ type: [ImportedRunDto] }) runs!: ImportedRunDto[];
}

class ArchiveMismatchDto {
  @ApiProperty() id!: number;
  @ApiProperty() workflowId!: string;
  @ApiProperty() runId!: string;
  @ApiProperty() reason!: string;
}

export class ArchiveVerifyDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty() checked!: number;
  @ApiPropertyOptional({ type: ArchiveMismatchDto }) firstMismatch?: ArchiveMismatchDto;
}

export class ArchiveEntryDto {
  @ApiProperty() id!: number;
  @ApiProperty() namespace!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty() runId!: string;
  @ApiProperty() workflowType!: string;
  @ApiProperty({ format: 'date-time' }) closedAt!: string;
  @ApiProperty() digest!: string;
  @ApiProperty() previousDigest!: string;
  @ApiProperty({ format: 'date-time' }) archivedAt!: string;
}
