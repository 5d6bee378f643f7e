import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** The report period (kỳ báo cáo): the month the reports are due in. */
export class MonthlyReportQuery {
  @ApiProperty({ example: '2020-03', description: 'Report period, yyyy-mm (the month the reports are due in)' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be a month yyyy-mm' })
  period!: string;
}
