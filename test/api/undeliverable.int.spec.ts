import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TYPES } from '@dieu-hanh/workflows';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../support/api-harness';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { webSession, type WebSession } from '../support/web-session';
import { testSpec } from '../workflows/fixtures';

describe('a notice that could not be delivered is visible to the Standing Office', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let smtp: TestSmtp;
  const s = Date.now().toString(36).toUpperCase();
  const units = { office: `VP-${s}`, noAddress: `NOADDR-${s}`, refused: `REFUSED-${s}` };
  const login = async (username: string): Promise<WebSession> => {
    const session = webSession(api.baseUrl);
    expect((await session.post('/login', { username, password: TEST_PASSWORD, next: '/' })).status).toBe(303);
    return session;
  };

  beforeAll(async () => {
    // The SMTP server refuses the refused unit's mailbox for good (550).
    smtp = await startSmtp({ refuse: (mail) => mail.to.some((a) => a.startsWith('refused')), refuseCode: 550 });
    worker = await startWorker({ smtpUrl: smtp.url });
    api = await startApi(worker.taskQueue);
    await api.createUser({ username: `un-office-${s}`, displayName: 'Chánh Văn phòng', unitCode: units.office, roles: ['standing-office'], email: `office-${s}@example.test` });
    await api.createUser({ username: `un-drafter-${s}`, displayName: 'Chuyên viên không có e-mail', unitCode: units.noAddress, roles: ['drafter'] });
    await api.createUser({ username: `un-refused-${s}`, displayName: 'Chuyên viên bị từ chối', unitCode: units.refused, roles: ['drafter'], email: `refused-${s}@example.test` });
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await smtp?.close();
  });

  it('shows an SMTP refusal and a unit without an address on the page and in /health, and only to those who track notices', async () => {
    const remindLead = (unit: string): AssignmentSpec => ({
      ...testSpec('review', { dueInSeconds: 60, policy: { reminders: [{ beforeSeconds: 58, notify: ['lead-unit'] }], ladder: [{ afterSeconds: 0, notify: ['standing-office'] }] } }),
      id: `review:UNDELIVERABLE-${s}:FT1:${unit}`,
      leadUnit: unit,
      title: `Rà soát của ${unit}`,
      noticeUnits: { standingOffice: units.office, standingCommittee: units.office },
    });
    const specs = [remindLead(units.noAddress), remindLead(units.refused)];
    for (const spec of specs) await worker.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: worker.taskQueue, args: [{ spec }] });

    const failed = await eventually(async () => {
      const rows = (await worker.db.query(
        `SELECT recipient_unit, email_error FROM notifications WHERE assignment_id = ANY($1) AND kind = 'reminder' AND email_failed_at IS NOT NULL ORDER BY recipient_unit`,
        [specs.map((x) => x.id)],
      )) as { recipient_unit: string; email_error: string }[];
      return rows.length === 2 ? rows : undefined;
    }, 30_000, 'both reminders recorded as undeliverable');
    expect(failed[0]).toMatchObject({ recipient_unit: units.noAddress });
    expect(failed[0].email_error).toMatch(/^NO_ADDRESS: /);
    expect(failed[1]).toMatchObject({ recipient_unit: units.refused });
    expect(failed[1].email_error).toMatch(/^550 /);
    // The test server gives envelope addresses lower-cased.
    expect(smtp.refused.map((m) => m.to)).toContainEqual([`refused-${s}@example.test`.toLowerCase()]);

    const office = await login(`un-office-${s}`);
    const page = await office.get('/notifications/undeliverable');
    expect(page.status).toBe(200);
    for (const spec of specs) expect(page.text).toContain(`Nhắc hạn: ${spec.title}`);
    expect(page.text).toContain(units.noAddress);
    expect(page.text).toContain('NO_ADDRESS');
    expect(page.text).toContain('Mailbox unavailable');
    expect(page.text).toContain('Không gửi được, không thử lại');

    const drafter = await login(`un-drafter-${s}`);
    expect((await drafter.get('/notifications/undeliverable')).status).toBe(403);

    const health = await api.call('GET', '/health');
    expect(health.body.notices.status).toBe('undeliverable');
    expect(health.body.notices.undeliverable).toBeGreaterThanOrEqual(2);

    for (const spec of specs) await worker.client.workflow.getHandle(spec.id).terminate('test done');
  });
});
