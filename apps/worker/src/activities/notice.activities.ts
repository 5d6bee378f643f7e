import type { DataSource } from 'typeorm';
import type { NoticeAudience } from '@dieu-hanh/domain/assignment';
import type { NoticeRequest } from '@dieu-hanh/workflows';
import type { Mailer } from '../notices/mailer';

interface Recipient {
  unit: string;
  /** People of the unit who get the e-mail; empty = everyone in the unit. */
  roles: string[];
}

/**
 * Records a notice in-app for each recipient unit and e-mails that unit's people.
 * Keyed by (notice key, unit): a retry or a replay never notifies twice, and an
 * e-mail that failed is retried until it is marked sent.
 */
export class NoticeActivities {
  constructor(
    private readonly db: DataSource,
    private readonly mailer: Mailer,
    private readonly publicUrl: string,
  ) {}

  async sendNotice(notice: NoticeRequest): Promise<void> {
    for (const recipient of recipientsOf(notice.audience, notice.leadUnit, notice.noticeUnits, notice.toUnits)) {
      await this.db.query(
        `INSERT INTO notifications (key, recipient_unit, assignment_id, plan_key, kind, level, subject, body)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (key, recipient_unit) DO NOTHING`,
        [notice.key, recipient.unit, notice.assignmentId, notice.planId, notice.kind, notice.level, notice.subject, notice.body],
      );
      if (!this.mailer.enabled) continue;
      const [row] = (await this.db.query(
        `SELECT id FROM notifications WHERE key = $1 AND recipient_unit = $2 AND emailed_at IS NULL`,
        [notice.key, recipient.unit],
      )) as { id: string }[];
      if (!row) continue;
      const people = (await this.db.query(
        `SELECT email FROM users WHERE unit_code = $1 AND active AND email IS NOT NULL
           AND (cardinality($2::text[]) = 0 OR roles && $2::text[])`,
        [recipient.unit, recipient.roles],
      )) as { email: string }[];
      const link = `${this.publicUrl}/assignments/${encodeURIComponent(notice.assignmentId)}`;
      await this.mailer.send({ to: people.map((p) => p.email), subject: notice.subject, text: `${notice.body}\n\n${link}` });
      await this.db.query(`UPDATE notifications SET emailed_at = now() WHERE id = $1`, [row.id]);
    }
  }
}

export function recipientsOf(
  audience: NoticeAudience[],
  leadUnit: string,
  units: { standingOffice: string; standingCommittee: string },
  toUnits: string[] = [],
): Recipient[] {
  // null = everyone in the unit; a unit addressed both ways gets everyone.
  const byUnit = new Map<string, Set<string> | null>();
  const add = (unit: string, role?: string) => {
    const roles = byUnit.has(unit) ? byUnit.get(unit)! : new Set<string>();
    if (roles === null || role === undefined) byUnit.set(unit, null);
    else byUnit.set(unit, roles.add(role));
  };
  for (const who of audience) {
    if (who === 'lead-unit') add(leadUnit);
    if (who === 'lead-unit-head') add(leadUnit, 'unit-head');
    if (who === 'standing-office') add(units.standingOffice);
    if (who === 'standing-committee') add(units.standingCommittee);
  }
  for (const unit of toUnits) add(unit);
  return [...byUnit].map(([unit, roles]) => ({ unit, roles: roles ? [...roles] : [] }));
}
