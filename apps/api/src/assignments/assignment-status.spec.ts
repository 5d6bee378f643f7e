import { describe, expect, it } from 'vitest';
import { latestReportPeriods, showsInMatrix } from './assignment-status';

describe('latestReportPeriods', () => {
  it('keeps the latest period of each monthly duty and every other assignment', () => {
    const rows = [
      { id: 'monthly-report:P@v1:-:BTC-TU:2020-01', kind: 'monthly-report' },
      { id: 'monthly-report:P@v1:-:BTC-TU:2020-12', kind: 'monthly-report' },
      { id: 'monthly-report:P@v1:-:BTC-TU:2020-02', kind: 'monthly-report' },
      { id: 'monthly-report:P@v1:-:BCSD-UBND:2020-03', kind: 'monthly-report' },
      { id: 'drafting:P@v1:FT1:BTC-TU', kind: 'drafting' },
    ];
    const latest = latestReportPeriods(rows);
    expect([...latest].sort()).toEqual(['monthly-report:P@v1:-:BCSD-UBND:2020-03', 'monthly-report:P@v1:-:BTC-TU:2020-12']);
    expect(rows.filter((r) => showsInMatrix(r, latest)).map((r) => r.id)).toEqual([
      'monthly-report:P@v1:-:BTC-TU:2020-12',
      'monthly-report:P@v1:-:BCSD-UBND:2020-03',
      'drafting:P@v1:FT1:BTC-TU',
    ]);
  });
});
