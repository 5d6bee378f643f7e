import { ApiProperty } from '@nestjs/swagger';

export class DelegationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) fromUserId!: string;
  @ApiProperty({ format: 'uuid' }) toUserId!: string;
  @ApiProperty({ example: '2020-01-27' }) validFrom!: string;
  @ApiProperty({ example: '2020-02-07' }) validTo!: string;
  @ApiProperty({ example: 'Đi công tác' }) reason!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Who revoked it (user id)' }) revokedBy!: string | null;
}

export class MyDelegationsDto {
  @ApiProperty({ type: [DelegationDto], description: 'Given by me, newest first' }) given!: DelegationDto[];
  @ApiProperty({ type: [DelegationDto], description: 'Received by me, newest first' }) received!: DelegationDto[];
}
