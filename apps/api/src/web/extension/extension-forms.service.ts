import { Inject, Injectable } from '@nestjs/common';
import type { AssignmentEntity } from '@dieu-hanh/persistence';
import { formatVietnameseDate } from '@dieu-hanh/domain';
import { AppError, AppErrorCode } from '../../common/app-error';
import { assertRole } from '../../auth/access-policy';
import type { CurrentUser } from '../../auth/current-user';
import { ExtensionsService } from '../../extensions/extensions.service';
import { checkExtensionDecision, checkExtensionRequest, type FieldErrors } from './extension-form';
import type { Translate } from '../i18n/i18n';
import { AssignmentPageService } from '../assignment/assignment-page.service';
import { inPageRefusal } from '../web-errors';
import type { ExtensionDecisionForm, ExtensionRequestForm } from '../web-forms.dto';

/**
 * What a form post came to: a message for the next page, or what to show when the page is
 * rendered again with the typed values kept: problems of fields, or a refusal of the whole
 * request (the workflow said no, e.g. already decided), shown at the top of the page because
 * the form itself may no longer be there.
 */
export type FormOutcome<F extends string> =
  | { ok: true; flash: string }
  | { ok: false; status: number; errors: FieldErrors<F>; message?: string; refused?: unknown };

/** Not allowed at all is an error page with the reason, not a message in a form the person never saw. */
function refusalOf(err: unknown, t: Translate) {
  if (err instanceof AppError && err.code === AppErrorCode.FORBIDDEN) return undefined;
  return inPageRefusal(err, t);
}

/**
 * The web UI's extension forms (gia hạn) on top of ExtensionsService: reads what people
 * typed (dates dd/mm/yyyy), names the field that is wrong, and turns a workflow's refusal
 * into a message for the page. The assignment page and the dashboard both use it.
 */
@Injectable()
export class ExtensionForms {
  constructor(
    @Inject(ExtensionsService) private readonly extensions: ExtensionsService,
    @Inject(AssignmentPageService) private readonly pages: AssignmentPageService,
  ) {}

  async request(user: CurrentUser, row: AssignmentEntity, form: ExtensionRequestForm, t: Translate): Promise<FormOutcome<'reason' | 'proposedDate'>> {
    assertRole(user, ['unit-head'], 'asking for an extension');
    if (user.unit !== row.leadUnit) throw new AppError(AppErrorCode.FORBIDDEN, `only ${row.leadUnit} asks for this extension`, 'OTHER_UNIT');
    const checked = checkExtensionRequest(form, row.effectiveDeadline, t);
    if (!checked.ok) return { ok: false, status: 400, errors: checked.errors };
    try {
      await this.extensions.request(user, row.id, checked.value);
      await this.pages.settle(row.id, (r) => r.state.extensions.some((x) => x.status === 'pending'));
      return { ok: true, flash: t('extension.requested', { date: formatVietnameseDate(checked.value.proposedDate) }) };
    } catch (err) {
      const refusal = refusalOf(err, t);
      if (!refusal) throw err;
      return { ok: false, status: refusal.status, errors: {}, message: refusal.message, refused: err };
    }
  }

  /** Decides `form.requestId`, which must be a pending request of `row` (the page's own assignment). */
  async decide(user: CurrentUser, row: AssignmentEntity, form: ExtensionDecisionForm, t: Translate): Promise<FormOutcome<'comment' | 'date'>> {
    assertRole(user, ['standing-office'], 'deciding an extension');
    try {
      const request = row.state.extensions.find((x) => x.requestId === form.requestId);
      if (!request) throw new AppError(AppErrorCode.VALIDATION, `${form.requestId} is not an extension request of ${row.id}`);
      const checked = checkExtensionDecision(form, row.effectiveDeadline, t);
      if (!checked.ok) return { ok: false, status: 400, errors: checked.errors };
      const result = await this.extensions.decide(user, form.requestId, checked.value);
      // A grant is recorded first and its new deadline follows as a separate event: wait for both in the read model.
      await this.pages.settle(
        row.id,
        (r) =>
          r.state.extensions.some((x) => x.requestId === form.requestId && x.status !== 'pending') &&
          (result.status !== 'granted' || r.state.deadline.effective === result.deadline.effective),
      );
      if (result.status !== 'granted') return { ok: true, flash: t('extension.refused', { title: row.title }) };
      return {
        ok: true,
        flash: t('extension.granted', {
          title: row.title,
          date: formatVietnameseDate(result.deadline.effective),
          original: formatVietnameseDate(result.originalDeadline.effective),
        }),
      };
    } catch (err) {
      const refusal = refusalOf(err, t);
      if (!refusal) throw err;
      return { ok: false, status: refusal.status, errors: {}, message: refusal.message, refused: err };
    }
  }
}
