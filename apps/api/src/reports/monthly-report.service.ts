import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, In } from 'typeorm';
import { assignmentStatus, createWorkingCalendar, nextPeriod, parsePeriodKey, periodStart, reportPeriod, reportPeriodTitle, rhythmUnit, STATUS_CODES, type PlanDefinition, type StatusCode } from '@dieu-hanh/domain';
import type { AssignmentSpec, Deadline } from '@dieu-hanh/domain/assignment';
import { AssignmentEntity, type PlanVersionEntity } from '@dieu-hanh/persistence';
import { periodAssignmentId } from '@dieu-hanh/workflows';
import { PlansService } from '../plans/plans.service';
import { planWaits, waitedOnRows, type WaitedOnRow } from './waited-on';

/** A period that was never opened: before the duty's first period, after its last or after today, or the duty was not launched. */
export const NOT_OPENED = 'not-opened';
export type ReportStatus = StatusCode | typeof NOT_OPENED;
export const REPORT_STATUSES: readonly ReportStatus[] = [...STATUS_CODES, NOT_OPENED];

export interface MonthlyReportRow {
  /** The periodic-report duty (III.6) and this period's assignment, `<duty id>:<period key>`. */
  dutyId: string;
  assignmentId: string;
  opened: boolean;
  unit: { code: string; name: string };
  taskCodes: string[];
  title: string;
  status: ReportStatus;
  lifecycle: string | null;
  /** The deadline in force; for a period not opened, the one the plan's rhythm gives it. */
  deadline: Pick<Deadline, 'nominal' | 'effective' | 'dueAt'>;
  /** The period's first deadline, different from `deadline` after an extension or a shift. */
  originalDeadline: Pick<Deadline, 'nominal' | 'effective' | 'dueAt'>;
  extended: boolean;
  /** The latest submission of the period (a monthly report is done once submitted). */
  submittedAt: string | null;
  submittedBy: { name: string; unit: string } | null;
  text: string | null;
  difficulties: string | null;
  escalationLevel: number;
}

export interface MonthlyReport {
  plan: { id: string; key: string; number: string; title: string };
  period: string;
  generatedAt: string;
  rows: MonthlyReportRow[];
  /** Per unit waited on (approval steps, extension decisions) whose deadline fell in the period: the approvers' own timeliness. */
  waitedOn: WaitedOnRow[];
  totals: {
    duties: number;
    opened: number;
    submitted: number;
    notSubmitted: number;
    withDifficulties: number;
    escalated: number;
    byStatus: Record<ReportStatus, number>;
  };
}

/**
 * The Standing Office's monthly consolidated report (III.6): for each monthly-report duty of
 * a plan, that period's assignment as the read model has it. Duties come from the plan file,
 * so a unit that has no row for the period still shows (as not opened) instead of vanishing.
 */
@Injectable()
export class MonthlyReportService {
  private readonly calendar = createWorkingCalendar();
  /** Plan versions never change once imported, so their duties are expanded once. */
  private readonly duties = new Map<string, AssignmentSpec[]>();

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(PlansService) private readonly plans: PlansService,
  ) {}

  async report(planId: string, period: string, now = new Date()): Promise<MonthlyReport> {
    const plan = await this.plans.get(planId);
    // A quarter's report lists the quarterly duties, a month's the monthly ones, and so on.
    const unit = parsePeriodKey(period)?.unit;
    const duties = this.dutiesOf(plan).filter((d) => d.report !== undefined && rhythmUnit(d.report.rhythm) === unit);
    const ids = duties.map((d) => periodAssignmentId(d.id, period));
    const found = ids.length ? await this.db.getRepository(AssignmentEntity).findBy({ id: In(ids) }) : [];
    const byId = new Map(found.map((a) => [a.id, a]));
    const definition = plan.definition as PlanDefinition;
    const unitOrder = new Map(definition.units.map((u, i) => [u.code, i]));
    const unitName = (code: string) => definition.units.find((u) => u.code === code)?.name ?? code;

    const rows = duties
      .map((duty): MonthlyReportRow => {
        const assignmentId = periodAssignmentId(duty.id, period);
        const row = byId.get(assignmentId);
        const base = { dutyId: duty.id, assignmentId, unit: { code: duty.leadUnit, name: unitName(duty.leadUnit) }, taskCodes: duty.taskCodes };
        if (!row) {
          const deadline = duty.report ? reportPeriod(duty.report.rhythm, period, duty.report.policy, this.calendar, duty.timeZone).deadline : duty.deadline;
          return {
            ...base,
            opened: false,
            title: reportPeriodTitle(duty, period),
            status: NOT_OPENED,
            lifecycle: null,
            deadline: pick(deadline),
            originalDeadline: pick(deadline),
            extended: false,
            submittedAt: null,
            submittedBy: null,
            text: null,
            difficulties: null,
            escalationLevel: 0,
          };
        }
        const last = row.state.submissions.at(-1);
        return {
          ...base,
          opened: true,
          title: row.title,
          status: assignmentStatus(row.state, now, this.calendar),
          lifecycle: row.lifecycle,
          deadline: pick(row.state.deadline),
          originalDeadline: pick(row.state.originalDeadline),
          extended: row.state.deadline.dueAt !== row.state.originalDeadline.dueAt,
          submittedAt: last?.at ?? null,
          submittedBy: last ? { name: last.by.name, unit: last.by.unit } : null,
          text: last?.text ?? null,
          difficulties: last?.difficulties?.trim() ? last.difficulties : null,
          escalationLevel: row.escalationLevel,
        };
      })
      .sort((a, b) => (unitOrder.get(a.unit.code) ?? 1e9) - (unitOrder.get(b.unit.code) ?? 1e9) || a.dutyId.localeCompare(b.dutyId));

    const byStatus = Object.fromEntries(REPORT_STATUSES.map((s) => [s, 0])) as Record<ReportStatus, number>;
    for (const r of rows) byStatus[r.status]++;
    const submitted = rows.filter((r) => r.submittedAt !== null).length;
    const opened = rows.filter((r) => r.opened).length;
    // The waits whose deadline falls in the period, whatever its length (month, quarter, year…).
    const zone = duties[0]?.timeZone ?? 'Asia/Ho_Chi_Minh';
    const key = parsePeriodKey(period)!;
    const window = { from: startOfLocalDay(periodStart(key), zone), to: startOfLocalDay(periodStart(nextPeriod(key)), zone) };
    const waitedOn = waitedOnRows(await planWaits(this.db, plan.key), unitName, now, this.calendar, window);
    return {
      plan: { id: plan.id, key: plan.key, number: plan.number, title: plan.title },
      period,
      generatedAt: now.toISOString(),
      rows,
      waitedOn,
      totals: {
        duties: rows.length,
        opened,
        submitted,
        notSubmitted: opened - submitted,
        withDifficulties: rows.filter((r) => r.difficulties !== null).length,
        escalated: rows.filter((r) => r.escalationLevel > 0).length,
        byStatus,
      },
    };
  }

  private dutiesOf(plan: PlanVersionEntity): AssignmentSpec[] {
    let duties = this.duties.get(plan.id);
    if (!duties) {
      duties = this.plans.specsOf(plan).filter((s) => s.kind === 'monthly-report');
      this.duties.set(plan.id, duties);
    }
    return duties;
  }
}

const pick = (d: Deadline) => ({ nominal: d.nominal, effective: d.effective, dueAt: d.dueAt });

const startOfLocalDay = (isoDate: string, zone: string) => DateTime.fromISO(isoDate, { zone }).startOf('day').toJSDate();
