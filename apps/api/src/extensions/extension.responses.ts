import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ActorDto, DeadlineDto } from '../common/shared.responses';

export class ExtensionRequestedDto {
  @ApiProperty({ example: 'ext:drafting:KH-TW-2020-v1:FT2:BTG-TU:1' }) requestId!: string;
  @ApiProperty() assignmentId!: string;
  @ApiProperty({ enum: ['pending'] }) status!: string;
  @ApiProperty({ type: DeadlineDto }) deadline!: DeadlineDto;
}

export class ExtensionDecidedDto {
  @ApiProperty() requestId!: string;
  @ApiProperty() assignmentId!: string;
  @ApiProperty({ enum: ['granted', 'refused'] }) status!: string;
  @ApiProperty({ type: DeadlineDto, description: 'The deadline in force after the decision' }) deadline!: DeadlineDto;
  @ApiProperty({ type: DeadlineDto }) originalDeadline!: DeadlineDto;
}

export class PendingExtensionDto {
  @ApiProperty() requestId!: string;
  @ApiProperty({ example: 'Chờ ý kiến của các sở, ngành' }) reason!: string;
  @ApiProperty({ example: '2020-04-15' }) proposedDate!: string;
  @ApiProperty({ type: ActorDto }) requestedBy!: ActorDto;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ enum: ['pending'] }) status!: string;
  @ApiPropertyOptional({ type: ActorDto }) decidedBy?: ActorDto;
  @ApiPropertyOptional() comment?: string;
  @ApiPropertyOptional() grantedDate?: string;
  @ApiProperty() assignmentId!: string;
  @ApiProperty({ example: 'Xây dựng kế hoạch chi tiết thực hiện nhiệm vụ tập trung 2' }) title!: string;
  @ApiProperty({ example: 'BTG-TU' }) leadUnit!: string;
  @ApiProperty({ type: DeadlineDto }) deadline!: DeadlineDto;
}
