import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ActorDto } from '../common/shared.responses';

export class CommentRecordDto {
  @ApiProperty({ example: 'BTG-TU' }) unit!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: ActorDto }) by!: ActorDto;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class CommentRequestRecordDto {
  @ApiProperty({ example: 'cmt-0b6f…' }) requestId!: string;
  @ApiProperty() question!: string;
  @ApiProperty({ type: [String] }) units!: string[];
  @ApiProperty({ description: 'The draft version asked about (0: before the first)' }) version!: number;
  @ApiProperty({ type: Object, example: { workingDays: 5 }, description: 'The time to answer, from the request' }) limit!: Record<string, number>;
  @ApiProperty({ type: ActorDto }) requestedBy!: ActorDto;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ type: [CommentRecordDto] }) comments!: CommentRecordDto[];
}

export class CommentsAnswerDto {
  @ApiProperty() assignmentId!: string;
  @ApiProperty() requestId!: string;
  @ApiPropertyOptional({ description: 'The unit that answered (for a comment)' }) unit?: string;
  @ApiProperty({ type: [CommentRequestRecordDto], description: 'Every request of the assignment with its comments, after this one' }) commentRequests!: CommentRequestRecordDto[];
}
