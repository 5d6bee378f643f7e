import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { DeadlineDto } from '../common/shared.responses';

class ReportPlanDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() key!: string;
  @ApiProperty({ example: '01-KH/TU' }) number!: string;
  @ApiProperty() title!: string;
}

class UnitRefDto {
  @ApiProperty({ example: 'BTG-TU' }) code!: string;
  @ApiProperty({ example: 'Ban Tuyên giáo Tỉnh ủy' }) name!: string;
}

/** Inline, not a $ref: OpenAPI 3.0 cannot make a $ref nullable. */
const SUBMITTER: ApiPropertyOptions = {
  type: 'object',
  nullable: true,
  required: ['name', 'unit'],
  properties: { name: { type: 'string', example: 'Nguyễn Văn An' }, unit: { type: 'string', example: 'BTG-TU' } },
};

export class MonthlyReportRowDto {
  @ApiProperty({ example: 'monthly-report:KH-TW-2020-v1:BC:BTG-TU:2020-03' }) dutyId!: string;
  @ApiProperty() assignmentId!: string;
  @ApiProperty({ description: 'false: the period\'s assignment has not been opened yet' }) opened!: boolean;
  @ApiProperty({ type: UnitRefDto }) unit!: UnitRefDto;
  @ApiProperty({ type: [String] }) taskCodes!: string[];
  @ApiProperty({ example: 'Báo cáo tháng 3/2020' }) title!: string;
  @ApiProperty({ example: 'not-due', description: 'A status code (see the matrix) or not-opened' }) status!: string;
  @ApiProperty({ nullable: true, type: String }) lifecycle!: string | null;
  @ApiProperty({ type: DeadlineDto }) deadline!: DeadlineDto;
  @ApiProperty({ type: DeadlineDto }) originalDeadline!: DeadlineDto;
  @ApiProperty() extended!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) submittedAt!: string | null;
  @ApiProperty(SUBMITTER) submittedBy!: { name: string; unit: string } | null;
  @ApiProperty({ nullable: true, type: String, example: 'Đã triển khai tới 100% chi bộ' }) text!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Thiếu kinh phí in tài liệu' }) difficulties!: string | null;
  @ApiProperty() escalationLevel!: number;
}

class MonthlyTotalsDto {
  @ApiProperty() duties!: number;
  @ApiProperty() opened!: number;
  @ApiProperty() submitted!: number;
  @ApiProperty() notSubmitted!: number;
  @ApiProperty() withDifficulties!: number;
  @ApiProperty() escalated!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Status -> count' }) byStatus!: Record<string, number>;
}

export class MonthlyReportDto {
  @ApiProperty({ type: ReportPlanDto }) plan!: ReportPlanDto;
  @ApiProperty({ example: '2020-03' }) period!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ type: [MonthlyReportRowDto] }) rows!: MonthlyReportRowDto[];
  @ApiProperty({ type: MonthlyTotalsDto }) totals!: MonthlyTotalsDto;
}
