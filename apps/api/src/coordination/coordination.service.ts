import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { coordinatingUnitsOf, type CommentRequestRecord } from '@dieu-hanh/domain/assignment';
import { giveCommentUpdate, requestCommentsUpdate } from '@dieu-hanh/workflows';
import { AppError, AppErrorCode } from '../common/app-error';
import { WorkflowGateway } from '../infra/workflow-gateway';
import { AssignmentsService } from '../assignments/assignments.service';
import { assertCanSubmit } from '../auth/access-policy';
import type { CurrentUser } from '../auth/current-user';

const actorOf = (u: CurrentUser) => ({ userId: u.userId, name: u.name, unit: u.unit, roles: u.roles });

/**
 * Xin ý kiến: the lead unit asks its coordinating units for written comments; each answers once.
 * The API checks who may read and act and which units may be named (400 with the field); the
 * workflow's validators check it all again against its own state.
 */
@Injectable()
export class CoordinationService {
  constructor(
    @Inject(WorkflowGateway) private readonly workflows: WorkflowGateway,
    @Inject(AssignmentsService) private readonly assignments: AssignmentsService,
  ) {}

  async request(user: CurrentUser, assignmentId: string, body: { units: string[]; question: string; workingDays?: number }) {
    const row = await this.assignments.get(user, assignmentId);
    assertCanSubmit(user, row.leadUnit);
    const coordinating = coordinatingUnitsOf(row.spec, row.state);
    const stranger = body.units.find((u) => !coordinating.includes(u));
    if (stranger !== undefined) {
      throw new AppError(AppErrorCode.VALIDATION, `${stranger} is not a coordinating unit of this assignment`, 'INVALID', [
        { field: 'units', reason: `${stranger} không phải đơn vị phối hợp / is not a coordinating unit (${coordinating.join(', ') || '—'})` },
      ]);
    }
    const requestId = `cmt-${randomUUID()}`;
    const state = await this.workflows.update(assignmentId, requestCommentsUpdate, {
      requestId,
      units: body.units,
      question: body.question,
      ...(body.workingDays !== undefined ? { limit: { workingDays: body.workingDays } } : {}),
      actor: actorOf(user),
    });
    return { assignmentId, requestId, commentRequests: state.commentRequests ?? [] };
  }

  async comment(user: CurrentUser, assignmentId: string, body: { requestId: string; text: string }) {
    const row = await this.assignments.get(user, assignmentId);
    if (!user.roles.some((r) => r === 'drafter' || r === 'unit-head')) {
      throw new AppError(AppErrorCode.FORBIDDEN, `only a drafter or unit head gives a unit's comments; ${user.name} has ${user.roles.join(', ')}`, 'ROLE');
    }
    const request: CommentRequestRecord | undefined = row.state.commentRequests?.find((r) => r.requestId === body.requestId);
    if (request && !request.units.includes(user.unit)) {
      throw new AppError(AppErrorCode.FORBIDDEN, `request ${body.requestId} asks ${request.units.join(', ')}, not ${user.unit}`, 'OTHER_UNIT', undefined, { own: user.unit, unit: request.units.join(', ') });
    }
    const state = await this.workflows.update(assignmentId, giveCommentUpdate, { requestId: body.requestId, text: body.text, actor: actorOf(user) });
    return { assignmentId, requestId: body.requestId, unit: user.unit, commentRequests: state.commentRequests ?? [] };
  }
}
