import type { DataSource } from 'typeorm';
import { ApplicationFailure } from '@temporalio/common';
import { DEFAULT_TIME_ZONE, createWorkingCalendar, nextSummaryAt, overdueSummary, waitStatus, type OverdueItem, type WorkingCalendar } from '@dieu-hanh/domain';
import { openWaitsOf, type ApprovalState, type AssignmentState } from '@dieu-hanh/domain/assignment';
import type { OverdueSummaryRequest, OverdueSummaryResult } from '@dieu-hanh/workflows';
import type { NoticeActivities } from './notice.activities';
import { classified } from './read-model-errors';

interface Row {
  recipient_unit: string;
  assignment_id: string;
  title: string;
  level: number;
  /** The assignment's own deadline is past (not only something that waits on a person). */
  own_overdue: boolean;
}

interface WaitRow {
  id: string;
  title: string;
  state: AssignmentState;
  approval: ApprovalState | null;
}

/**
 * The periodic summary of a plan's overdue items (issue 13): for each unit that was told of
 * an item's escalation, one notice listing every item still overdue for it, counted by
 * level. "Still overdue": the assignment is open and its own deadline, an approval step or
 * an extension decision is past its deadline (level > 0). Besides, every wait still open
 * past its deadline (an approval step, an extension decision, a difficulty answer, a
 * coordinating unit's comments; overdue by the one waitStatus) is listed, on its own, to the
 * unit it waits on.
 */
export class SummaryActivities {
  constructor(
    private readonly db: DataSource,
    private readonly notices: NoticeActivities,
    private readonly calendar: WorkingCalendar = createWorkingCalendar(),
  ) {}

  async sendOverdueSummaries({ planId, periodAt, now, rule, noticeTime, timeZone = DEFAULT_TIME_ZONE }: OverdueSummaryRequest): Promise<OverdueSummaryResult> {
    // From now, not from the period: periods missed while no worker ran collapse into this one.
    const nextAt = nextSummaryAt(now, rule, noticeTime, timeZone);
    if (periodAt === undefined) return { nextAt, recipients: 0, items: 0, open: -1 };
    const rows = await classified(`reading overdue items of ${planId}`, async () =>
      (await this.db.query(
        `SELECT n.recipient_unit, n.assignment_id, a.title, max(n.level)::int AS level, a.escalation_level > 0 AS own_overdue
         FROM notifications n JOIN assignments a ON a.id = n.assignment_id
         WHERE a.plan_key = $1 AND n.kind = 'escalation' AND a.lifecycle IN ('open', 'awaiting-approval')
           AND (a.escalation_level > 0
             OR EXISTS (SELECT 1 FROM approvals p WHERE p.assignment_id = a.id AND p.outcome IS NULL AND p.step_level > 0)
             OR EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(a.state->'waits', '[]'::jsonb)) w
                        WHERE w->>'closedAt' IS NULL AND (w->>'level')::int > 0))
         GROUP BY n.recipient_unit, n.assignment_id, a.title, a.escalation_level
         ORDER BY n.recipient_unit, n.assignment_id`,
        [planId],
      )) as Row[],
    );
    const [{ open }] = (await this.db.query(
      `SELECT count(*)::int AS open FROM assignments WHERE plan_key = $1 AND lifecycle IN ('open', 'awaiting-approval')`,
      [planId],
    )) as { open: number }[];

    const waits = await classified(`reading overdue waits of ${planId}`, () => this.overdueWaits(planId, now));

    const byUnit = new Map<string, OverdueItem[]>();
    const add = (unit: string, item: OverdueItem) => byUnit.set(unit, [...(byUnit.get(unit) ?? []), item]);
    // The unit a wait waits on finds it listed as that wait; the assignment is listed to it as well only when its own deadline is past.
    const waitedOn = new Set(waits.map((w) => `${w.unit} ${w.item.assignmentId}`));
    for (const r of rows) if (r.own_overdue || !waitedOn.has(`${r.recipient_unit} ${r.assignment_id}`)) add(r.recipient_unit, { assignmentId: r.assignment_id, title: r.title, level: r.level });
    for (const { unit, item } of waits) add(unit, item);
    for (const [unit, items] of byUnit) {
      const summary = overdueSummary(items, periodAt, timeZone);
      await this.sendOne({
        key: `summary:${planId}:${periodAt}:${unit}`,
        assignmentId: `summary:${planId}`,
        planId,
        leadUnit: unit,
        noticeUnits: { standingOffice: unit, standingCommittee: unit },
        audience: [],
        toUnits: [unit],
        kind: 'summary',
        level: summary.byLevel[0]?.level ?? 0,
        subject: summary.subject,
        body: summary.body,
        linkPath: '/notifications',
      });
    }
    return { nextAt, recipients: byUnit.size, items: [...byUnit.values()].reduce((n, items) => n + items.length, 0), open };
  }

  /**
   * Every wait of the plan still open past its deadline, with the unit it waits on. The SQL
   * only narrows to rows with an open wait whose deadline has passed; which waits are open
   * and overdue is the domain's (openWaitsOf, waitStatus).
   */
  private async overdueWaits(planId: string, now: string): Promise<{ unit: string; item: OverdueItem }[]> {
    const rows = (await this.db.query(
      `SELECT a.id, a.title, a.state, p.state AS approval
         FROM assignments a
         LEFT JOIN approvals p ON p.assignment_id = a.id AND p.outcome IS NULL AND p.step_due_at IS NOT NULL
        WHERE a.plan_key = $1
          AND (p.step_due_at <= $2
            OR EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(a.state->'waits', '[]'::jsonb)) w
                        WHERE w->>'closedAt' IS NULL AND (w->'deadline'->>'dueAt')::timestamptz <= $2))
        ORDER BY a.id`,
      [planId, now],
    )) as WaitRow[];
    return rows.flatMap((r) =>
      openWaitsOf(r.state, r.approval ?? undefined)
        .filter((w) => waitStatus(w, now, this.calendar) === 'overdue')
        .map((w) => ({ unit: w.unit, item: { assignmentId: r.id, title: r.title, level: w.level, waiting: w.kind } })),
    );
  }

  /**
   * A summary that can never be e-mailed (no address, a permanent refusal) stays in-app and
   * on the undeliverable-notices page; only a transient failure makes the period try again.
   */
  private async sendOne(notice: Parameters<NoticeActivities['sendNotice']>[0]): Promise<void> {
    try {
      await this.notices.sendNotice(notice);
    } catch (err) {
      if (!(err instanceof ApplicationFailure) || !err.nonRetryable) throw err;
    }
  }
}
