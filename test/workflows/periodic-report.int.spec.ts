import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { EscalationPolicySchema, formatPeriodKey, parseReportRhythm, periodContaining, type ReportRhythm } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { WORKFLOW_TYPES, cancelSignal, reportDutyQuery, type MonthlyReportInput } from '@dieu-hanh/workflows';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { recordHistory } from '../support/histories';
import { OFFICE, SECONDS_POLICY, testSpec } from './fixtures';

const QUARTERLY = 'hằng quý, trước ngày 20 của tháng đầu quý sau';

function rhythm(text: string): ReportRhythm {
  const parsed = parseReportRhythm(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.rhythm;
}

function quarterlySpec(firstPeriod: string, lastPeriod?: string): AssignmentSpec {
  const base = testSpec('monthly-report');
  const policy = EscalationPolicySchema.parse(SECONDS_POLICY);
  return { ...base, report: { rhythm: rhythm(QUARTERLY), policy, firstPeriod, ...(lastPeriod ? { lastPeriod } : {}), subject: 'Sở Thông tin và Truyền thông' } };
}

interface PeriodRow {
  id: string;
  title: string;
  nominal: string;
  effective: string;
}

describe('a quarterly reporting duty on the real Temporal dev server', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });
  const periodRows = async (dutyId: string): Promise<PeriodRow[]> =>
    (await h.db.query(
      `SELECT id, title, to_char(nominal_deadline, 'YYYY-MM-DD') AS nominal, to_char(effective_deadline, 'YYYY-MM-DD') AS effective
         FROM assignments WHERE id LIKE $1 ORDER BY id`,
      [`${dutyId}:%`],
    )) as PeriodRow[];

  it('opens exactly one report per quarter of 2023, each due day 20 of the month after on the working-day calendar, and stops after its last quarter', async () => {
    const spec = quarterlySpec('2023-Q1', '2023-Q4');
    // Three periods per run: the duty continues as new once before its last quarter.
    const input: MonthlyReportInput = { spec, periodsPerRun: 3 };
    const handle = await h.client.workflow.start(WORKFLOW_TYPES.monthlyReport, { workflowId: spec.id, taskQueue: h.taskQueue, args: [input] });
    await handle.result();
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.runId).not.toBe(handle.firstExecutionRunId);
    recordHistory('monthly-report-quarterly-first-run', spec.id, handle.firstExecutionRunId);
    expect((await handle.query(reportDutyQuery)).after).toBe('2023-Q4');

    const rows = await eventually(async () => {
      const r = await periodRows(spec.id);
      return r.length >= 4 ? r : undefined;
    }, 60_000, 'four quarterly periods in the read model');
    // 20/01/2024 is a Saturday: that report is due Monday 22/01/2024.
    expect(rows.map((r) => [r.id.slice(spec.id.length + 1), r.nominal, r.effective, r.title])).toEqual([
      ['2023-Q1', '2023-04-20', '2023-04-20', 'Báo cáo quý I/2023 — Sở Thông tin và Truyền thông'],
      ['2023-Q2', '2023-07-20', '2023-07-20', 'Báo cáo quý II/2023 — Sở Thông tin và Truyền thông'],
      ['2023-Q3', '2023-10-20', '2023-10-20', 'Báo cáo quý III/2023 — Sở Thông tin và Truyền thông'],
      ['2023-Q4', '2024-01-20', '2024-01-22', 'Báo cáo quý IV/2023 — Sở Thông tin và Truyền thông'],
    ]);
    // Its overdue notices name the period's report too.
    const subjects = await eventually(async () => {
      const r = (await h.db.query(`SELECT subject FROM notifications WHERE assignment_id = $1 AND kind = 'escalation'`, [`${spec.id}:2023-Q1`])) as { subject: string }[];
      return r.length > 0 ? r.map((x) => x.subject) : undefined;
    }, 30_000, 'an escalation notice for 2023-Q1');
    expect(subjects[0]).toContain('Báo cáo quý I/2023 — Sở Thông tin và Truyền thông');
    // Nothing after the last quarter, not even once the duty has closed.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await periodRows(spec.id)).toHaveLength(4);
    await expect(h.client.workflow.getHandle(`${spec.id}:2024-Q1`).describe()).rejects.toThrow();
  });

  it('opens the current quarter and nothing else until that report is due', async () => {
    const now = DateTime.now().setZone('Asia/Ho_Chi_Minh');
    const current = formatPeriodKey(periodContaining('quarter', now.toISODate()!));
    const spec = quarterlySpec(current);
    const handle = await h.client.workflow.start(WORKFLOW_TYPES.monthlyReport, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] });
    const rows = await eventually(async () => {
      const r = await periodRows(spec.id);
      return r.length >= 1 ? r : undefined;
    }, 30_000, 'the current quarter opened');
    expect(rows.map((r) => r.id)).toEqual([`${spec.id}:${current}`]);
    // The duty waits for the current quarter's deadline (weeks away) before it opens another.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const duty = await handle.query(reportDutyQuery);
    expect(duty.periodIds).toEqual([`${spec.id}:${current}`]);
    expect(Date.parse(duty.current!.deadline.dueAt)).toBeGreaterThan(Date.now());
    expect(await periodRows(spec.id)).toHaveLength(1);

    await handle.signal(cancelSignal, { reason: 'kết thúc kiểm thử', actor: OFFICE });
    await handle.result();
    await eventually(async () => {
      const [row] = (await h.db.query(`SELECT lifecycle FROM assignments WHERE id = $1`, [`${spec.id}:${current}`])) as { lifecycle: string }[];
      return row?.lifecycle === 'cancelled' ? true : undefined;
    }, 30_000, 'the open quarter cancelled with its duty');
  });
});
