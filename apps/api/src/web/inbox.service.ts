import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { ApprovalEntity, AssignmentEntity } from '@dieu-hanh/persistence';
import { localToday } from '../approvals/approvals.service';
import type { CurrentUser } from '../auth/current-user';

const DECIDES = ['approver', 'standing-office'];
const SUBMITS = ['drafter', 'unit-head'];

export interface InboxApproval {
  approval: ApprovalEntity;
  assignment: AssignmentEntity;
  /** True when the person acts on a delegation rather than holding the step themselves. */
  delegated: boolean;
}

export interface Inbox {
  approvals: InboxApproval[] | undefined;
  open: AssignmentEntity[] | undefined;
  awaiting: AssignmentEntity[] | undefined;
}

/** What waits on a person, by effective deadline: open approval steps they hold, or their unit's open work. */
@Injectable()
export class InboxService {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async of(user: CurrentUser): Promise<Inbox> {
    const decides = user.roles.some((r) => DECIDES.includes(r));
    const submits = user.roles.some((r) => SUBMITS.includes(r));
    return {
      approvals: decides ? await this.approvalsFor(user) : undefined,
      open: submits ? await this.unitAssignments(user.unit, 'open') : undefined,
      awaiting: submits ? await this.unitAssignments(user.unit, 'awaiting-approval') : undefined,
    };
  }

  /** Approvals whose open step the person holds, or holds by a delegation valid today. */
  private async approvalsFor(user: CurrentUser): Promise<InboxApproval[]> {
    const rows = await this.db
      .getRepository(ApprovalEntity)
      .createQueryBuilder('ap')
      .where('ap.outcome IS NULL AND ap.current_step IS NOT NULL')
      .andWhere(
        `((ap.step_unit = :unit AND ap.step_role = ANY(:roles)) OR EXISTS (
           SELECT 1 FROM delegations d JOIN users u ON u.id = d.from_user_id
            WHERE d.to_user_id = :me AND d.valid_from <= :today AND d.valid_to >= :today
              AND u.active AND u.unit_code = ap.step_unit AND ap.step_role = ANY(u.roles)))`,
        { unit: user.unit, roles: user.roles, me: user.userId, today: localToday() },
      )
      .getMany();
    if (rows.length === 0) return [];
    const assignments = await this.db.getRepository(AssignmentEntity).findBy({ id: In(rows.map((r) => r.assignmentId)) });
    const byId = new Map(assignments.map((a) => [a.id, a]));
    return rows
      .flatMap((approval) => {
        const assignment = byId.get(approval.assignmentId);
        const delegated = !(approval.currentUnit === user.unit && user.roles.includes(approval.currentRole as never));
        return assignment ? [{ approval, assignment, delegated }] : [];
      })
      .sort((a, b) => a.assignment.dueAt.getTime() - b.assignment.dueAt.getTime() || a.assignment.id.localeCompare(b.assignment.id));
  }

  private unitAssignments(unit: string, lifecycle: string): Promise<AssignmentEntity[]> {
    return this.db.getRepository(AssignmentEntity).find({ where: { leadUnit: unit, lifecycle }, order: { dueAt: 'ASC', id: 'ASC' }, take: 500 });
  }
}
