import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationPolicyInput } from '@dieu-hanh/domain';
import { WORKFLOW_TYPES } from '@dieu-hanh/workflows';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { testSpec } from './fixtures';

/**
 * "E-mails once", counted: a real SMTP server records every message, and each notice
 * must reach each of its recipients exactly once although its activity is retried
 * (a temporary SMTP refusal mid-list, a failed write after a mail went out).
 */
const POLICY: EscalationPolicyInput = {
  reminders: [{ beforeSeconds: 3, notify: ['lead-unit', 'standing-office', 'standing-committee'] }],
  ladder: [{ afterSeconds: 0, notify: ['lead-unit-head', 'standing-office', 'standing-committee'] }],
  sendBack: { seconds: 60 },
};

describe('each notice e-mailed exactly once per recipient', () => {
  let h: WorkerHarness;
  let smtp: TestSmtp;
  /** Addresses whose first message the SMTP server refuses with 451. */
  const refuseFirstTo = new Set<string>();

  beforeAll(async () => {
    smtp = await startSmtp({
      refuse: (mail) => {
        const target = mail.to.find((a) => refuseFirstTo.has(a));
        if (!target) return false;
        refuseFirstTo.delete(target);
        return true;
      },
    });
    h = await startWorker({ smtpUrl: smtp.url });
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  /** Units and people of one test; the reminder and the escalation then reach 7 addresses in all. */
  async function scenario(tag: string) {
    const suffix = `${tag}-${randomUUID().slice(0, 6)}`.toUpperCase();
    const units = { lead: `LEAD-${suffix}`, office: `VP-${suffix}`, committee: `TT-${suffix}` };
    const mail = (who: string) => `${who}@${suffix.toLowerCase()}.vn`;
    const people = [
      { username: `head-${suffix}`, unit: units.lead, role: 'unit-head', email: mail('head') },
      { username: `drafter-${suffix}`, unit: units.lead, role: 'drafter', email: mail('drafter') },
      { username: `office-${suffix}`, unit: units.office, role: 'standing-office', email: mail('office') },
      { username: `deputy-${suffix}`, unit: units.committee, role: 'approver', email: mail('deputy') },
    ];
    for (const p of people) {
      await h.db.query(`INSERT INTO users (username, display_name, password_hash, unit_code, roles, email) VALUES ($1, $1, 'x', $2, $3, $4)`, [p.username, p.unit, [p.role], p.email]);
    }
    const spec = { ...testSpec('review', { dueInSeconds: 8, policy: POLICY }), leadUnit: units.lead, noticeUnits: { standingOffice: units.office, standingCommittee: units.committee } };
    spec.id = `review:MAILONCE:-:${units.lead}`;
    const expected = [
      ...['head', 'drafter', 'office', 'deputy'].map((who) => `Nhắc hạn|${mail(who)}`),
      ...['head', 'office', 'deputy'].map((who) => `Cảnh báo quá hạn|${mail(who)}`),
    ].sort();
    return { units, mail, spec, expected };
  }

  /** Runs the assignment until both notices are marked e-mailed for all three units, then counts. */
  async function runAndCount(spec: ReturnType<typeof testSpec>, addresses: string[]) {
    const handle = await h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] });
    try {
      await eventually(async () => {
        const rows = (await h.db.query(`SELECT emailed_at FROM notifications WHERE assignment_id = $1`, [spec.id])) as { emailed_at: Date | null }[];
        return rows.length === 6 && rows.every((r) => r.emailed_at !== null) ? true : undefined;
      }, 60_000, 'both notices e-mailed to all three units');
      // Retries run a second apart: give a duplicate time to arrive before counting.
      await new Promise((r) => setTimeout(r, 4000));
      const history = await handle.fetchHistory();
      const typeOf = new Map<string, string>();
      let noticeRetries = 0;
      for (const e of history.events ?? []) {
        if (e.activityTaskScheduledEventAttributes) typeOf.set(String(e.eventId), e.activityTaskScheduledEventAttributes.activityType?.name ?? '');
        const started = e.activityTaskStartedEventAttributes;
        if (started && (started.attempt ?? 1) > 1 && /notice|mail/i.test(typeOf.get(String(started.scheduledEventId)) ?? '')) noticeRetries++;
      }
      const delivered = smtp.received
        .flatMap((m) => m.to.filter((a) => addresses.includes(a)).map((a) => `${m.subject.startsWith('Nhắc hạn') ? 'Nhắc hạn' : m.subject.startsWith('Cảnh báo quá hạn') ? 'Cảnh báo quá hạn' : m.subject}|${a}`))
        .sort();
      return { delivered, noticeRetries };
    } finally {
      await handle.terminate('test done').catch(() => undefined);
    }
  }

  it('after a temporary SMTP refusal in the middle of the recipient list', async () => {
    const { mail, spec, expected } = await scenario('smtp');
    refuseFirstTo.add(mail('office'));
    const { delivered, noticeRetries } = await runAndCount(spec, ['head', 'drafter', 'office', 'deputy'].map(mail));
    expect(smtp.refused.some((m) => m.to.includes(mail('office')))).toBe(true);
    expect(noticeRetries).toBeGreaterThanOrEqual(1);
    expect(delivered).toEqual(expected);
  });

  // Fails on the notice activity as it was when written (issue 11, hole 2): the mail
  // goes out, recording emailed_at fails, and the retry sends it again.
  it('after the write that records a sent e-mail failed once', async () => {
    const { units, mail, spec, expected } = await scenario('db');
    const name = `fail_emailed_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    // A sequence counts across the rolled-back transactions: the first write fails, later ones pass.
    await h.db.query(`CREATE SEQUENCE ${name}`);
    await h.db.query(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF nextval('${name}') = 1 THEN RAISE EXCEPTION 'injected failure recording emailed_at'; END IF; RETURN NEW; END $$`,
    );
    await h.db.query(
      `CREATE TRIGGER ${name} BEFORE UPDATE ON notifications FOR EACH ROW
       WHEN (OLD.emailed_at IS NULL AND NEW.emailed_at IS NOT NULL AND NEW.recipient_unit = '${units.committee}') EXECUTE FUNCTION ${name}()`,
    );
    try {
      const { delivered, noticeRetries } = await runAndCount(spec, ['head', 'drafter', 'office', 'deputy'].map(mail));
      const [{ fired }] = await h.db.query(`SELECT last_value >= 1 AND is_called AS fired FROM ${name}`);
      expect(fired).toBe(true);
      expect(noticeRetries).toBeGreaterThanOrEqual(1);
      expect(delivered).toEqual(expected);
    } finally {
      await h.db.query(`DROP TRIGGER IF EXISTS ${name} ON notifications`);
      await h.db.query(`DROP FUNCTION IF EXISTS ${name}()`);
      await h.db.query(`DROP SEQUENCE IF EXISTS ${name}`);
    }
  });
});
