import { Body, Controller, Get, Inject, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApprovalsService } from '../approvals/approvals.service';
import { AssignmentsService } from '../assignments/assignments.service';
import { User, type CurrentUser } from '../auth/current-user';
import { AppError, AppErrorCode } from '../common/app-error';
import { AssignmentPageService } from './assignment-page.service';
import { DeadlineStatus } from './deadline-status';
import { ExtensionForms } from './extension-forms.service';
import { DecisionForm, ExtensionDecisionForm, ExtensionRequestForm, SubmitForm } from './web-forms.dto';
import { WebCsrfGuard } from './web-csrf';
import { inPageRefusal } from './web-errors';
import { WebExceptionFilter } from './web-exception.filter';
import { WebPages } from './web-pages';
import type { WebRequest } from './web-request';

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
      await this.show(req, res, user, id, { decideError: refusal.message, comment: form.comment }, refusal.status);
    }
  }

  @Post(':id/submissions')
  async submit(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id') id: string, @Body() form: SubmitForm) {
    const { t } = this.pages.context(req, res);
    const rows = form.attachmentName.map((name, i) => ({ name: name.trim(), ref: (form.attachmentRef[i] ?? '').trim() }));
    const attachments = rows.filter((a) => a.name || a.ref);
    try {
      if (attachments.some((a) => !a.name || !a.ref) || form.attachmentRef.length > form.attachmentName.length) {
        throw new AppError(AppErrorCode.VALIDATION, t('submit.pairNeeded'), 'ATTACHMENT_PAIR');
      }
      const result = await this.assignments.submit(
        user,
        id,
        { version: form.version, text: form.text, attachments, cites: form.cites, difficulties: form.difficulties },
        SUBMITTABLE_KINDS,
      );
      if (result.approvalId) await this.pageService.settle(id, (_, approval) => approval?.id === result.approvalId);
      this.pages.flash(res, { kind: 'ok', text: t('submit.done', { n: result.version }) });
      res.redirect(303, `/assignments/${encodeURIComponent(id)}`);
    } catch (err) {
      const refusal = inPageRefusal(err, t);
      if (!refusal) throw err;
      const message = err instanceof AppError && err.reason === 'ATTACHMENT_PAIR' ? err.message : refusal.message;
      await this.show(req, res, user, id, { submitError: message, draft: { text: form.text, attachments: rows, cites: form.cites, difficulties: form.difficulties } }, refusal.status);
    }
  }

  /** A unit head of the lead unit asks for more time (reason, date dd/mm/yyyy). */
  @Post(':id/extension-requests')
  async requestExtension(@Req() req: WebRequest, @Res() res: Response, @User() user: CurrentUser, @Param('id') id: string, @Body() form: ExtensionRequestForm) {
    const { t } = this.pages.context(req, res);
    const row = await this.assignments.get(user, id);
    const outcome = await this.extensionForms.request(user, row, form, t);
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
    if (outcome.ok) {
      this.pages.flash(res, { kind: 'ok', text: outcome.flash });
      return res.redirect(303, `/assignments/${encodeURIComponent(id)}`);
    }
    const extensionDecision = { requestId: form.requestId, errors: outcome.errors, message: outcome.message, comment: form.comment, date: form.date };
    await this.show(req, res, user, id, { extensionDecision, pageError: outcome.message }, outcome.status);
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
        unitName,
        taskLabel: page.plan?.taskLabel ?? ((code: string) => code),
        ...extra,
      },
      httpStatus,
    );
  }
}
