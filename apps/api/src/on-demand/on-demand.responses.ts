import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AvailableObligationDto {
  @ApiProperty({ example: 'III.4' }) obligationId!: string;
  @ApiProperty({ example: 'III.4' }) section!: string;
  @ApiProperty({ example: 'policy-proposal' }) kind!: string;
  @ApiProperty({ example: 'Rà soát, đề xuất cơ chế, chính sách' }) title!: string;
  @ApiProperty({ type: [String], description: 'The units that may open one' }) units!: string[];
  @ApiProperty({ type: [String] }) taskCodes!: string[];
  @ApiPropertyOptional({ example: 'TT-TU', description: 'Whom it reports to' }) submitTo?: string;
  @ApiProperty() text!: string;
  @ApiProperty({ description: "Whether the caller's unit and role may open one" }) mayOpen!: boolean;
}

export class OpenedAssignmentDto {
  @ApiProperty({ example: 'policy-proposal:TV-BTV-2020@v1:III.4.1a2b3c4d:BTC-TU' }) id!: string;
  @ApiProperty({ example: 'policy-proposal' }) kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 'BTC-TU' }) leadUnit!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'nominal, effective (yyyy-mm-dd) and dueAt' }) deadline!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, example: 'TT-TU' }) submitTo!: string | null;
}
