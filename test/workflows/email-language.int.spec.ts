import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationPolicyInput } from '@dieu-hanh/domain';
import { WORKFLOW_TYPES } from '@dieu-hanh/workflows';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { startSmtp, type TestSmtp } from '../support/smtp';
import { testSpec } from './fixtures';

/**
 * E-mails in the reader's language, through a real SMTP server: a notice for the people holding
 * a role (here the unit head, on escalation) reaches each in the language they chose; a notice
 * to the whole unit (the reminder) stays one Vietnamese message for everyone.
 */
const POLICY: EscalationPolicyInput = {
  reminders: [{ beforeSeconds: 3, notify: ['lead-unit'] }],
  ladder: [{ afterSeconds: 0, notify: ['lead-unit-head'] }],
  sendBack: { seconds: 60 },
};

describe('e-mails in the language of the person they are addressed to', () => {
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

  it('sends the escalation to an English-reading head in English and to a Vietnamese one in Vietnamese; the reminder to the unit in Vietnamese', async () => {
    const suffix = randomUUID().slice(0, 6).toUpperCase();
    const unit = `LANG-${suffix}`;
    const mail = (who: string) => `${who}@lang-${suffix.toLowerCase()}.vn`;
    const people = [
      { username: `head-en-${suffix}`, role: 'unit-head', email: mail('head-en'), language: 'en' },
      { username: `head-vi-${suffix}`, role: 'unit-head', email: mail('head-vi'), language: 'vi' },
      { username: `drafter-en-${suffix}`, role: 'drafter', email: mail('drafter-en'), language: 'en' },
    ];
    for (const p of people) {
      await h.db.query(`INSERT INTO users (username, display_name, password_hash, unit_code, roles, email, language) VALUES ($1, $1, 'x', $2, $3, $4, $5)`, [p.username, unit, [p.role], p.email, p.language]);
    }
    const spec = { ...testSpec('review', { dueInSeconds: 8, policy: POLICY }), leadUnit: unit };
    spec.id = `review:MAILLANG:-:${unit}`;
    const mine = () => smtp.received.filter((m) => m.to.some((a) => a.endsWith(`@lang-${suffix.toLowerCase()}.vn`)));

    await h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] });
    await eventually(async () => {
      const rows = (await h.db.query(`SELECT kind, emailed_at FROM notifications WHERE assignment_id = $1`, [spec.id])) as { kind: string; emailed_at: Date | null }[];
      return rows.some((r) => r.kind === 'escalation' && r.emailed_at) && rows.some((r) => r.kind === 'reminder' && r.emailed_at) ? true : undefined;
    }, 60_000, 'the reminder and the escalation e-mailed');

    const received = mine();
    // The reminder to the whole unit: one message, Vietnamese, to all three (English readers too).
    const reminders = received.filter((m) => m.subject.startsWith('Nhắc hạn'));
    expect(reminders).toHaveLength(1);
    expect([...reminders[0].to].sort()).toEqual(people.map((p) => p.email).sort());

    // The escalation to the unit heads: each in their own language.
    const vi = received.filter((m) => m.subject.startsWith('Cảnh báo quá hạn'));
    expect(vi.map((m) => m.to)).toEqual([[mail('head-vi')]]);
    const en = received.filter((m) => m.subject.startsWith('Escalation'));
    expect(en.map((m) => m.to)).toEqual([[mail('head-en')]]);
    const due = spec.deadline.effective.split('-').reverse().join('/');
    expect(en[0].subject).toBe(`Escalation (level 1): ${spec.title} — Plan No. ${spec.planNumber}, due ${due}`);
    const body = decodedBody(en[0].data);
    expect(body).toContain('Original text (Vietnamese):');
    expect(body).toContain('Cảnh báo quá hạn');
    expect(body).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
    // Each language has its own Message-ID (a mail client may drop a true duplicate, never the other language).
    expect(messageId(en[0].data)).not.toBe(messageId(vi[0].data));
    expect(received.filter((m) => m.to.includes(mail('drafter-en')))).toHaveLength(1);
  });
});

function messageId(data: string): string {
  return /^Message-ID: (.*)$/im.exec(data)?.[1] ?? '';
}

/** The text part, decoded (nodemailer sends non-ASCII text quoted-printable or base64). */
function decodedBody(data: string): string {
  const [head, ...rest] = data.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}
