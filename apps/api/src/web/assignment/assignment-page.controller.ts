import { Body, Controller, Get, Inject, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApprovalsService } from '../../approvals/approvals.service';
import { AssignmentsService } from '../../assignments/assignments.service';
import { FilesService } from '../../files/files.service';
import { storedFileId } from '@dieu-hanh/domain/assignment';
import type { StoredFileEntity } from '@dieu-hanh/persistence';
import { User, type CurrentUser } from '../../auth/current-user';
import { AppError, AppErrorCode } from '../../common/app-error';
import { AssignmentPageService } from './assignment-page.service';
import { DeadlineStatus } from '../deadline-status';
import { ExtensionForms } from '../extension/extension-forms.service';
import { CommentForm, CommentRequestForm, DecisionForm, DifficultyAnswerForm, ExtensionDecisionForm, ExtensionRequestForm, SubmitForm } from '../web-forms.dto';
import { CoordinationService } from '../../coordination/coordination.service';
import { WebCsrfGuard } from '../web-csrf';
import { RefusalLog } from '../../audit/refusal-log';
import { inPageRefusal } from '../web-errors';
import { WebExceptionFilter } from '../web-exception.filter';
import { WebPages } from '../web-pages';
import type { WebRequest } from '../web-request';

const SUBMITTABLE_KINDS = ['drafting', 'concretisation', 'monthly-report', 'review', 'policy-proposal', 'propaganda'];

/**
 * One assignment: deadline, status, versions with their differences, the approval chain,
 * and the forms a person may need here (decide the open step; submit a version; ask for an
 * extension; grant or refuse one).
 * Forms post, then redirect back (post/redirect/get); a refusal re-renders the page with
 * the person's text kept and the reason shown.
 */
@ApiExcludeController()
@Controller('assignments')
@UseGuards(WebCsrfGuard)
@UseFilters(WebExceptionFilter)
export class AssignmentPageController {
  constructor(
    @Inject(AssignmentPageService) private readonly pageService: AssignmentPageService,
    @Inject(AssignmentsService) private readonly assignments: AssignmentsService,
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(DeadlineStatus) private readonly status: DeadlineStatus,
    @Inject(ExtensionForms) private readonly extensionForms: ExtensionForms,
    @Inject(WebPages) private readonly pages: WebPages,
    @Inject(RefusalLog) private readonly refusals: RefusalLog,
    @Inject(FilesService) private readonly files: FilesService,
    @Inject(CoordinationService) private readonly coordination: CoordinationService,
  ) {}

  @Get(':id')
  page(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id') id: string) {
    return this.show(req, res, user, id);
  }

  @Post(':id/decision')
  async decide(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id') id: string, @Body() form: DecisionForm) {
    const { t } = this.pages.context(req, res);
    try {
      if (!form.approvalId.startsWith(`approval:${id}:`)) {
        throw new AppError(AppErrorCode.VALIDATION, `${form.approvalId} is not an approval of ${id}`);
      }
      const state = await this.approvals.decide(user, form.approvalId, { version: form.version, step: form.step, decision: form.decision, comment: form.comment });
      if (state.outcome) await this.pageService.settle(id, (row) => row.lifecycle !== 'awaiting-approval');
      this.pages.flash(res, { kind: 'ok', text: t('decide.done', { decision: t(`decision.${form.decision}`) }) });
      res.redirect(303, `/assignments/${encodeURIComponent(id)}`);
    } catch (err) {
      const refusal = inPageRefusal(err, t);
      if (!refusal) throw err;
      this.refusals.noteInPage(req, err, form.approvalId?.startsWith(`approval:${id}:`) ? form.approvalId : id);
      await this.show(req, res, user, id, { decideError: refusal.message, comment: form.comment }, refusal.status);
    }
  }

  /**
   * A new version: text, files uploaded with it (multipart, checked before anything is
   * written), files of the previous version kept, and references to files kept elsewhere.
   * The Update carries each stored file by id, name, size, media type and SHA-256.
   */
  @Post(':id/submissions')
  async submit(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id') id: string, @Body() form: SubmitForm) {
    const { t } = this.pages.context(req, res);
    const rows = form.attachmentName.map((name, i) => ({ name: name.trim(), ref: (form.attachmentRef[i] ?? '').trim() }));
    const references = rows.filter((a) => a.name || a.ref);
    const uploads = Array.isArray(req.files) ? req.files : [];
    let stored: StoredFileEntity[] = [];
    try {
      if (references.some((a) => !a.name || !a.ref) || form.attachmentRef.length > form.attachmentName.length) {
        throw new AppError(AppErrorCode.VALIDATION, t('submit.pairNeeded'), 'ATTACHMENT_PAIR').localised();
      }
      const row = await this.assignments.get(user, id);
      const previous = row.state.submissions.at(-1)?.attachments ?? [];
      const kept = form.keepFile.map((fileId) => {
        const file = previous.find((a) => storedFileId(a) === fileId);
        if (!file?.sha256) throw new AppError(AppErrorCode.VALIDATION, t('upload.notFound', { id: fileId.slice(0, 80) }), 'FILE_NOT_FOUND');
        return { fileId, sha256: file.sha256 };
      });
      if (uploads.length) stored = await this.files.upload(user, id, uploads, t);
      const attachments = [...kept, ...stored.map((f) => ({ fileId: f.id, sha256: f.sha256 })), ...references];
      const result = await this.assignments.submit(
        user,
        id,
        { version: form.version, text: form.text, attachments, cites: form.cites, difficulties: form.difficulties },
        SUBMITTABLE_KINDS,
        t,
      );
      if (result.approvalId) await this.pageService.settle(id, (_, approval) => approval?.id === result.approvalId);
      this.pages.flash(res, { kind: 'ok', text: t('submit.done', { n: result.version }) });
      res.redirect(303, `/assignments/${encodeURIComponent(id)}`);
    } catch (err) {
      // A refused submission leaves no files behind.
      await this.files.forget(stored);
      const refusal = inPageRefusal(err, t);
      if (!refusal) throw err;
      this.refusals.noteInPage(req, err, id);
      const message = err instanceof AppError && (err.reason === 'ATTACHMENT_PAIR' || err.reason === 'INVALID_FILE' || err.reason === 'FILE_NOT_FOUND' || err.reason === 'NO_FILE') ? err.message : refusal.message;
      await this.show(req, res, user, id, { submitError: message, draft: { text: form.text, attachments: rows, keep: form.keepFile, cites: form.cites, difficulties: form.difficulties } }, refusal.status);
    }
  }

  /** The body a report went to answers its reported difficulties; the answer shows to the reporting unit. */
  @Post(':id/difficulty-answer')
  async answerDifficulty(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id') id: string, @Body() form: DifficultyAnswerForm) {
    const { t } = this.pages.context(req, res);
    try {
      if (!form.text.trim()) throw new AppError(AppErrorCode.VALIDATION, 'text must not be empty', 'INVALID');
      await this.assignments.answerDifficulty(user, id, { version: form.version, text: form.text });
      await this.pageService.settle(id, (row) => row.state.submissions.some((s) => s.version === form.version && s.difficultyAnswer));
      this.pages.flash(res, { kind: 'ok', text: t('difficulty.answered') });
      res.redirect(303, `/assignments/${encodeURIComponent(id)}#h-versions`);
    } catch (err) {
      const refusal = inPageRefusal(err, t);
      if (!refusal) throw err;
      this.refusals.noteInPage(req, err, id);
      await this.show(req, res, user, id, { difficultyError: refusal.message, difficultyText: form.text, pageError: refusal.message }, refusal.status);
    }
  }

  /** A unit head of the lead unit asks for more time (reason, date dd/mm/yyyy). */
  @Post(':id/extension-requests')
  async requestExtension(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id') id: string, @Body() form: ExtensionRequestForm) {
    const { t } = this.pages.context(req, res);
    const row = await this.assignments.get(user, id);
    const outcome = await this.extensionForms.request(user, row, form, t);
    if (!outcome.ok) this.refusals.noteInPage(req, outcome.refused, id);
    if (outcome.ok) {
      this.pages.flash(res, { kind: 'ok', text: outcome.flash });
      return res.redirect(303, `/assignments/${encodeURIComponent(id)}#h-ext`);
    }
    const extensionRequest = { errors: outcome.errors, message: outcome.message, reason: form.reason, proposedDate: form.proposedDate };
    await this.show(req, res, user, id, { extensionRequest, pageError: outcome.message }, outcome.status);
  }

  /** The Standing Office grants (optionally to another date) or refuses the pending request. */
  @Post(':id/extension-decision')
  async decideExtension(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id') id: string, @Body() form: ExtensionDecisionForm) {
    const { t } = this.pages.context(req, res);
    if (form.assignmentId !== id) throw new AppError(AppErrorCode.VALIDATION, `${form.assignmentId} is not ${id}`);
    const row = await this.assignments.get(user, id);
    const outcome = await this.extensionForms.decide(user, row, form, t);
    if (!outcome.ok) this.refusals.noteInPage(req, outcome.refused, id);
    if (outcome.ok) {
      this.pages.flash(res, { kind: 'ok', text: outcome.flash });
      return res.redirect(303, `/assignments/${encodeURIComponent(id)}`);
    }
    const extensionDecision = { requestId: form.requestId, errors: outcome.errors, message: outcome.message, comment: form.comment, date: form.date };
    await this.show(req, res, user, id, { extensionDecision, pageError: outcome.message }, outcome.status);
  }

  /** Xin ý kiến: the lead unit picks coordinating units, writes its question and the working days to answer. */
  @Post(':id/comment-requests')
  async requestComments(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id') id: string, @Body() form: CommentRequestForm) {
    const { t } = this.pages.context(req, res);
    try {
      const days = form.workingDays?.trim() ? Number(form.workingDays.trim()) : undefined;
      if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 30)) {
        throw new AppError(AppErrorCode.VALIDATION, t('comments.daysInvalid'), 'INVALID', [{ field: 'workingDays', reason: t('comments.daysInvalid') }]).localised();
      }
      if (form.units.length === 0) throw new AppError(AppErrorCode.VALIDATION, t('comments.unitsNeeded'), 'INVALID', [{ field: 'units', reason: t('comments.unitsNeeded') }]).localised();
      if (!form.question.trim()) throw new AppError(AppErrorCode.VALIDATION, t('comments.questionNeeded'), 'INVALID', [{ field: 'question', reason: t('comments.questionNeeded') }]).localised();
      await this.coordination.request(user, id, { units: form.units, question: form.question, workingDays: days });
      await this.pageService.settle(id, (row) => (row.state.commentRequests?.length ?? 0) > 0);
      this.pages.flash(res, { kind: 'ok', text: t('comments.requested', { n: form.units.length }) });
      res.redirect(303, `/assignments/${encodeURIComponent(id)}#h-comments`);
    } catch (err) {
      const refusal = inPageRefusal(err, t);
      if (!refusal) throw err;
      this.refusals.noteInPage(req, err, id);
      await this.show(req, res, user, id, { commentRequestError: refusal.message, commentRequest: { units: form.units, question: form.question, workingDays: form.workingDays } }, refusal.status);
    }
  }

  /** A coordinating unit asked gives its written comments. */
  @Post(':id/comments')
  async giveComment(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id') id: string, @Body() form: CommentForm) {
    const { t } = this.pages.context(req, res);
    try {
      if (!form.text.trim()) throw new AppError(AppErrorCode.VALIDATION, t('comments.textNeeded'), 'INVALID', [{ field: 'text', reason: t('comments.textNeeded') }]).localised();
      await this.coordination.comment(user, id, { requestId: form.requestId, text: form.text });
      await this.pageService.settle(id, (row) => !!row.state.commentRequests?.some((r) => r.requestId === form.requestId && r.comments.some((c) => c.unit === user.unit)));
      this.pages.flash(res, { kind: 'ok', text: t('comments.given') });
      res.redirect(303, `/assignments/${encodeURIComponent(id)}#h-comments`);
    } catch (err) {
      const refusal = inPageRefusal(err, t);
      if (!refusal) throw err;
      this.refusals.noteInPage(req, err, id);
      await this.show(req, res, user, id, { commentError: refusal.message, comment: { requestId: form.requestId, text: form.text } }, refusal.status);
    }
  }

  private async show(req: WebRequest, res: Response, user: CurrentUser, id: string, extra: Record<string, unknown> = {}, httpStatus = 200) {
    const { lang, t } = this.pages.context(req, res);
    const page = await this.pageService.load(user, id);
    const unitName = page.plan?.unitName ?? ((code: string) => code);
    this.pages.render(
      req,
      res,
      'assignment',
      {
        title: page.row.title,
        page,
        status: this.status.of(page.row, lang, t),
        waits: page.waits(lang, t).map((wait) => ({ row: page.row, wait })),
        unitName,
        taskLabel: page.plan?.taskLabel ?? ((code: string) => code),
        ...extra,
      },
      httpStatus,
    );
  }
}
