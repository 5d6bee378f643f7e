import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ApplicationFailure } from '@temporalio/common';
import type { NoticeAudience } from '@dieu-hanh/domain/assignment';
import { isReaderLanguage, noticeEmail, type NoticeFacts, type ReaderLanguage } from '@dieu-hanh/domain';
import { SIDE_EFFECT_ERRORS, type NoticeRequest } from '@dieu-hanh/workflows';
import type { Mailer } from '../notices/mailer';
import { classified, classifyReadModelError, storable, storableParams } from './read-model-errors';

interface Recipient {
  unit: string;
  /** People of the unit who get the e-mail; empty = everyone in the unit. */
  roles: string[];
}

interface NoticeRow {
  id: string;
  emailed_at: Date | null;
  email_claimed_at: Date | null;
  email_failed_at: Date | null;
}

/**
 * Records a notice in-app for each recipient unit and e-mails that unit's people.
 *
 * In-app rows for all recipients are written first, in one transaction, so an e-mail
 * problem never holds back anyone's in-app notice. Then each unit is e-mailed on its
 * own; failures are collected and thrown at the end, and a retry sends only what is
 * still unsent (rows are keyed by notice key + unit).
 *
 * Each e-mail is sent at most once. Before sending, the row is claimed
 * (`email_claimed_at`, and a Message-ID derived from key + unit); after sending,
 * `emailed_at` is set. When the send itself fails, the claim is released (or, for a
 * permanent 5xx refusal, the row is marked failed and not tried again). A claim with
 * no `emailed_at` therefore means "sent, but the write after it failed" (or a worker
 * died mid-send, or the release after a failed send could not be written): the
 * outcome is unknown, and we choose not to send again, because a second copy of an escalation is the failure people notice and complain about. The
 * in-app notice is there in any case, and the deterministic Message-ID lets a mail
 * server or client drop a duplicate should one ever go out twice.
 */
export class NoticeActivities {
  constructor(
    private readonly db: DataSource,
    private readonly mailer: Mailer,
    private readonly publicUrl: string,
  ) {}

  async sendNotice(notice: NoticeRequest): Promise<void> {
    const recipients = recipientsOf(notice.audience, notice.leadUnit, notice.noticeUnits, notice.toUnits, notice.toRoles);
    await classified(`recording notice ${notice.key}`, () => this.db.transaction((tx) => this.writeInApp(tx, notice)));
    if (!this.mailer.enabled) return;

    const failures: ApplicationFailure[] = [];
    for (const recipient of recipients) {
      try {
        await this.emailOnce(notice, recipient);
      } catch (err) {
        failures.push(err instanceof ApplicationFailure ? err : classifyReadModelError(err, `e-mailing ${recipient.unit}`));
      }
    }
    if (failures.length === 0) return;
    // Retry (only the unsent ones are sent again) unless every failure was in the data.
    const retryable = failures.find((f) => !f.nonRetryable);
    throw ApplicationFailure.create({
      type: (retryable ?? failures[0]).type ?? SIDE_EFFECT_ERRORS.SMTP_UNAVAILABLE,
      message: `notice ${notice.key}: ${failures.length} of ${recipients.length} e-mail(s) not sent: ${failures.map((f) => f.message).join('; ')}`,
      nonRetryable: !retryable,
    });
  }

  /**
   * The in-app part of several notices, inside the caller's transaction (no SMTP). Answers the
   * keys of those with e-mail still to send: while the mailer is on, a recipient unit whose row
   * is neither e-mailed nor closed and where an active person has an address. A unit with
   * nobody to e-mail is marked undeliverable here, as `sendNotice` would.
   */
  async recordInApp(tx: EntityManager, notices: NoticeRequest[]): Promise<string[]> {
    const toEmail: string[] = [];
    for (const notice of notices) {
      await this.writeInApp(tx, notice);
      if (!this.mailer.enabled) continue;
      let anyone = false;
      for (const recipient of recipientsOf(notice.audience, notice.leadUnit, notice.noticeUnits, notice.toUnits, notice.toRoles)) {
        const [row] = (await tx.query(
          `SELECT emailed_at, email_failed_at FROM notifications WHERE key = $1 AND recipient_unit = $2`,
          storableParams([notice.key, recipient.unit]),
        )) as Pick<NoticeRow, 'emailed_at' | 'email_failed_at'>[];
        if (!row || row.emailed_at || row.email_failed_at) continue;
        if ((await addressesOf(tx, recipient)).length > 0) anyone = true;
        else await markNoAddress(tx, notice.key, recipient.unit);
      }
      if (anyone) toEmail.push(notice.key);
    }
    return toEmail;
  }

  private async writeInApp(tx: EntityManager, notice: NoticeRequest): Promise<void> {
    for (const recipient of recipientsOf(notice.audience, notice.leadUnit, notice.noticeUnits, notice.toUnits, notice.toRoles)) {
      await tx.query(
        `INSERT INTO notifications (key, recipient_unit, recipient_roles, assignment_id, plan_key, kind, level, subject, body)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (key, recipient_unit) DO NOTHING`,
        storableParams([notice.key, recipient.unit, recipient.roles, notice.assignmentId, notice.planId, notice.kind, notice.level, notice.subject, notice.body]),
      );
    }
  }

  private async emailOnce(notice: NoticeRequest, recipient: Recipient): Promise<void> {
    const [row] = (await this.db.query(
      `SELECT id, emailed_at, email_claimed_at, email_failed_at FROM notifications WHERE key = $1 AND recipient_unit = $2`,
      storableParams([notice.key, recipient.unit]),
    )) as NoticeRow[];
    if (!row || row.emailed_at || row.email_failed_at) return;
    if (row.email_claimed_at) {
      // Claimed by an earlier attempt that never recorded the outcome: not sent again (see above).
      await this.db.query(
        `UPDATE notifications SET emailed_at = email_claimed_at, email_error = 'sent once; its delivery record was written late' WHERE id = $1`,
        [row.id],
      );
      return;
    }
    const people = await addressesOf(this.db, recipient);
    if (people.length === 0) {
      await markNoAddress(this.db, notice.key, recipient.unit);
      return;
    }
    const messageId = noticeMessageId(notice.key, recipient.unit);
    const claimed = (await this.db.query(
      `UPDATE notifications SET email_claimed_at = now(), email_message_id = $2
       WHERE id = $1 AND emailed_at IS NULL AND email_claimed_at IS NULL RETURNING id`,
      [row.id, messageId],
    )) as [unknown[], number] | unknown[];
    if (claimedRows(claimed) === 0) return;

    const link = `${this.publicUrl}${notice.linkPath ?? `/assignments/${encodeURIComponent(notice.assignmentId)}`}`;
    try {
      // One message per language the people read in (Vietnamese first, under the notice's own
      // Message-ID; the others under their own); dates as dd/mm/yyyy, as on the notifications page.
      const parts = { kind: notice.kind, level: notice.level, subject: storable(notice.subject), body: storable(notice.body) };
      const byLanguage = emailLanguages(recipient, people);
      const facts = byLanguage.some(([lang]) => lang !== 'vi') ? await noticeFacts(this.db, notice.assignmentId) : undefined;
      for (const [lang, to] of byLanguage) {
        const { subject, text } = noticeEmail(lang, parts, facts, link);
        await this.mailer.send({ to, subject, text, messageId: lang === 'vi' ? messageId : noticeMessageId(notice.key, `${recipient.unit}#${lang}`) });
      }
    } catch (err) {
      const smtp = err as { responseCode?: number; message?: string };
      const permanent = typeof smtp.responseCode === 'number' && smtp.responseCode >= 500;
      const reason = `${smtp.responseCode ?? ''} ${smtp.message ?? String(err)}`.trim().slice(0, 1000);
      // This send is known to have failed: release the claim, or close the row for good on a 5xx.
      await this.db.query(
        permanent
          ? `UPDATE notifications SET email_claimed_at = NULL, email_failed_at = now(), email_error = $2 WHERE id = $1`
          : `UPDATE notifications SET email_claimed_at = NULL, email_error = $2 WHERE id = $1`,
        [row.id, storable(reason)],
      );
      throw ApplicationFailure.create({ type: SIDE_EFFECT_ERRORS.SMTP_UNAVAILABLE, message: `${recipient.unit}: ${reason}`, nonRetryable: permanent });
    }
    await this.db.query(`UPDATE notifications SET emailed_at = now(), email_error = NULL WHERE id = $1`, [row.id]);
  }
}

/** The addresses a notice to `recipient` goes to: active people of the unit (with one of its roles, when it names roles), and the language each reads in. */
async function addressesOf(q: Pick<EntityManager, 'query'>, recipient: Recipient): Promise<{ email: string; language: string }[]> {
  return (await q.query(
    `SELECT email, language FROM users WHERE unit_code = $1 AND active AND email IS NOT NULL
       AND (cardinality($2::text[]) = 0 OR roles && $2::text[])
     ORDER BY email`,
    storableParams([recipient.unit, recipient.roles]),
  )) as { email: string; language: string }[];
}

/**
 * Who gets which language. A notice for the people holding a role (the step holder, the unit
 * head) is addressed to persons: each reads it in their own language. A notice to a whole unit
 * is an official message to the unit: Vietnamese for everyone.
 */
export function emailLanguages(recipient: Recipient, people: { email: string; language: string }[]): [ReaderLanguage, string[]][] {
  const groups = new Map<ReaderLanguage, string[]>();
  for (const p of people) {
    const lang = recipient.roles.length > 0 && isReaderLanguage(p.language) ? p.language : 'vi';
    groups.set(lang, [...(groups.get(lang) ?? []), p.email]);
  }
  return [...groups].sort(([a], [b]) => (a === 'vi' ? -1 : b === 'vi' ? 1 : a.localeCompare(b)));
}

/** The assignment's title, plan number and deadline in force, for a headline in another language. */
async function noticeFacts(q: Pick<EntityManager, 'query'>, assignmentId: string): Promise<NoticeFacts | undefined> {
  const [row] = (await q.query(
    `SELECT title, spec->>'planNumber' AS "planNumber", state->'deadline'->>'effective' AS deadline FROM assignments WHERE id = $1`,
    storableParams([assignmentId]),
  )) as { title: string; planNumber: string | null; deadline: string | null }[];
  return row ? { title: row.title, planNumber: row.planNumber ?? '', deadline: row.deadline ?? undefined } : undefined;
}

/**
 * Nobody to e-mail (it used to count as sent): recorded as undeliverable, shown to the Standing
 * Office (its page, /health). Not an activity failure: nothing a retry or an alarm could fix.
 */
async function markNoAddress(q: Pick<EntityManager, 'query'>, key: string, unit: string): Promise<void> {
  const reason = `${SIDE_EFFECT_ERRORS.NO_ADDRESS}: đơn vị ${unit} không có người nhận nào có địa chỉ e-mail`;
  await q.query(
    `UPDATE notifications SET email_failed_at = now(), email_error = $3 WHERE key = $1 AND recipient_unit = $2 AND emailed_at IS NULL AND email_failed_at IS NULL`,
    storableParams([key, unit, reason]),
  );
}

/** `UPDATE … RETURNING` through TypeORM's pg driver answers [rows, count]. */
function claimedRows(result: [unknown[], number] | unknown[]): number {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[1];
  return (result as unknown[]).length;
}

/** The same notice to the same unit always has the same Message-ID. */
export function noticeMessageId(key: string, unit: string): string {
  return `<${createHash('sha256').update(`${key}\n${unit}`).digest('hex').slice(0, 40)}@dieu-hanh.notice>`;
}

export function recipientsOf(
  audience: NoticeAudience[],
  leadUnit: string,
  units: { standingOffice: string; standingCommittee: string },
  toUnits: string[] = [],
  toRoles: string[] = [],
): Recipient[] {
  // null = everyone in the unit; a unit addressed both ways gets everyone.
  const byUnit = new Map<string, Set<string> | null>();
  const add = (unit: string, role?: string) => {
    const roles = byUnit.has(unit) ? byUnit.get(unit)! : new Set<string>();
    if (roles === null || role === undefined) byUnit.set(unit, null);
    else byUnit.set(unit, roles.add(role));
  };
  for (const who of audience) {
    // An assignment waits on its lead unit; other waits name their unit in `toUnits`.
    if (who === 'lead-unit' || who === 'waited-on') add(leadUnit);
    if (who === 'lead-unit-head') add(leadUnit, 'unit-head');
    if (who === 'standing-office') add(units.standingOffice);
    if (who === 'standing-committee') add(units.standingCommittee);
  }
  for (const unit of toUnits) {
    if (toRoles.length === 0) add(unit);
    else for (const role of toRoles) add(unit, role);
  }
  return [...byUnit].map(([unit, roles]) => ({ unit, roles: roles ? [...roles] : [] }));
}
