import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class CurrentUserDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ example: 'pheduyet' }) username!: string;
  @ApiProperty({ example: 'Trần Thị Bình' }) name!: string;
  @ApiProperty({ example: 'BTG-TU' }) unit!: string;
  @ApiProperty({ type: [String], example: ['approver', 'unit-head'] }) roles!: string[];
  @ApiProperty({ enum: ['bearer', 'session'] }) via!: string;
  @ApiPropertyOptional({ description: 'The login this token belongs to' }) sessionId?: string;
}

export class LoginResultDto {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <token>`; valid 12 h or until logout' }) token!: string;
  @ApiProperty({ type: CurrentUserDto }) user!: CurrentUserDto;
}
