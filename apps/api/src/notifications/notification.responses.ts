import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../common/api-contract';

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Idempotency key of the notice' }) key!: string;
  @ApiProperty({ example: 'BTG-TU' }) recipientUnit!: string;
  @ApiProperty({ type: [String], example: ['approver'], description: 'Within the unit, the roles the notice is for; empty = everyone there' }) recipientRoles!: string[];
  @ApiProperty() assignmentId!: string;
  @ApiProperty() planKey!: string;
  @ApiProperty({ example: 'reminder' }) kind!: string;
  @ApiProperty({ example: 0 }) level!: number;
  @ApiProperty({ example: 'Nhắc việc: còn 3 ngày làm việc đến hạn' }) subject!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) emailedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) emailMessageId!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) emailClaimedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) emailFailedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) emailError!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When this person read it' }) readAt!: string | null;
}

export class NotificationItemDto extends NotificationDto {
  @ApiProperty({ example: '/assignments/drafting%3AKH-TW-2020-v1%3AFT2%3ABTG-TU', description: 'The page of the assignment' }) link!: string;
}

export class NotificationPage extends PageOf(NotificationItemDto, 'NotificationPage') {
  @ApiProperty({ example: 3, description: "The person's unread notices, all filters aside (the header badge)" }) unread!: number;
}

export class MarkedAllReadDto {
  @ApiProperty({ example: 12, description: 'How many notices were marked read' }) marked!: number;
}
