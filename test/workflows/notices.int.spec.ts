import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TYPES, SA_KIND, SA_STATUS, SA_UNIT } from '@dieu-hanh/workflows';
import { createWorkingCalendar, statusClock, statusVisibilityQuery } from '@dieu-hanh/domain';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { testSpec } from './fixtures';
import { startSmtp, type TestSmtp } from '../support/smtp';

describe('notices by e-mail and search attributes', () => {
  let h: WorkerHarness;
  let smtp: TestSmtp;

  beforeAll(async () => {
    smtp = await startSmtp();
    h = await startWorker({ smtpUrl: smtp.url });
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  it('e-mails an escalation once to the people of the addressed unit, and the Temporal UI/CLI can filter by our attributes', async () => {
    const unit = `UNIT-MAIL-${Date.now()}`;
    await h.db.query(
      `INSERT INTO users (username, display_name, password_hash, unit_code, roles, email) VALUES
       ($1, 'Trưởng đơn vị', 'x', $2, '{unit-head}', $3), ($4, 'Chuyên viên', 'x', $2, '{drafter}', $5)`,
      [`head-${unit}`, unit, `head@${unit.toLowerCase()}.vn`, `drafter-${unit}`, `drafter@${unit.toLowerCase()}.vn`],
    );
    const spec = { ...testSpec('review', { dueInSeconds: 3 }), leadUnit: unit };
    spec.id = `review:MAILTEST:-:${unit}`;
    await h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] });

    // The reminder goes to the whole unit, the first escalation to its head only.
    const mails = await eventually(async () => (smtp.received.length >= 2 ? [...smtp.received] : undefined), 30_000, 'two e-mails');
    const reminder = mails.find((m) => m.data.includes('Nh') && m.to.length === 2);
    expect(reminder?.to.sort()).toEqual([`drafter@${unit.toLowerCase()}.vn`, `head@${unit.toLowerCase()}.vn`]);
    const escalation = mails.find((m) => m.to.length === 1);
    expect(escalation?.to).toEqual([`head@${unit.toLowerCase()}.vn`]);
    const rows = await h.db.query(`SELECT emailed_at FROM notifications WHERE assignment_id = $1 AND recipient_unit = $2`, [spec.id, unit]);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r: { emailed_at: Date | null }) => r.emailed_at !== null)).toBe(true);

    const listed = await eventually(async () => {
      const found: string[] = [];
      // "Overdue" as the domain defines it (one definition, issue 10): open and past DhDeadline.
      const overdue = statusVisibilityQuery('overdue', statusClock(new Date(), createWorkingCalendar()));
      for await (const wf of h.client.workflow.list({ query: `DhUnit = '${unit}' AND DhKind = 'review' AND ${overdue}` })) {
        found.push(wf.workflowId);
      }
      return found.length ? found : undefined;
    }, 20_000, 'the workflow in a search-attribute query');
    expect(listed).toEqual([spec.id]);
    const description = await h.client.workflow.getHandle(spec.id).describe();
    expect(description.typedSearchAttributes.get(SA_UNIT)).toBe(unit);
    expect(description.typedSearchAttributes.get(SA_KIND)).toBe('review');
    expect(description.typedSearchAttributes.get(SA_STATUS)).toBe('open');
    await h.client.workflow.getHandle(spec.id).terminate('test done');
  });
});
