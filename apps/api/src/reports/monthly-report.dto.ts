import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** The report period (kỳ báo cáo): a month, or a quarter, half-year, year or ISO week for duties of that rhythm. */
export class MonthlyReportQuery {
  @ApiProperty({ example: '2020-03', description: 'Report period: yyyy-mm (month), yyyy-Qn (quarter), yyyy-Hn (half-year), yyyy (year) or yyyy-Www (ISO week)' })
  @Matches(/^\d{4}(?:-(?:0[1-9]|1[0-2])|-Q[1-4]|-H[12]|-W(?:0[1-9]|[1-4]\d|5[0-3]))?$/, {
    message: 'period must be yyyy-mm, yyyy-Qn, yyyy-Hn, yyyy or yyyy-Www (kỳ báo cáo: tháng, quý, 6 tháng, năm hoặc tuần)',
  })
  period!: string;
}
