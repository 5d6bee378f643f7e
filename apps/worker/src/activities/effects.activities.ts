import type { DataSource } from 'typeorm';
import type { EffectsBatch, EffectsRecorded } from '@dieu-hanh/workflows';
import type { NoticeActivities } from './notice.activities';
import { writeApproval, writeAssignment } from './projection.activities';
import { classified } from './read-model-errors';

/**
 * One round of a workflow's side-effect loop in one activity and one PostgreSQL transaction:
 * the projection due and the in-app part of the queued notices (issue 12: one activity instead
 * of one per effect). Every write is keyed (projection by seq, notice by key + unit), so a retry
 * changes nothing already written. E-mail is not sent here: the workflow sends the notices
 * answered in `toEmail` through `sendNotice`, so SMTP never fails or delays this write.
 */
export class EffectActivities {
  constructor(
    private readonly db: DataSource,
    private readonly notices: NoticeActivities,
  ) {}

  recordEffects(batch: EffectsBatch): Promise<EffectsRecorded> {
    const of = batch.assignment?.spec.id ?? batch.approval?.state.approvalId ?? batch.notices[0]?.assignmentId;
    return classified(`recording the side effects of ${of}`, () =>
      this.db.transaction(async (tx) => {
        if (batch.assignment) await writeAssignment(tx, batch.assignment);
        if (batch.approval) await writeApproval(tx, batch.approval);
        return { toEmail: await this.notices.recordInApp(tx, batch.notices) };
      }),
    );
  }
}
