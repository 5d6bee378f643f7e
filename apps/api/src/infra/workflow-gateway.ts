import { Inject, Injectable } from '@nestjs/common';
import { Client, ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import { AppError, AppErrorCode, codeOfWorkflowRefusal } from '../common/app-error';
import { currentUpdateId } from '../common/idempotency-context';

/**
 * The API's only way to change workflow state: Updates, answered synchronously.
 * A workflow's refusal (validator) becomes a 4xx with its reason; nothing else changes.
 */
@Injectable()
export class WorkflowGateway {
  constructor(@Inject(Client) private readonly client: Client) {}

  async update<Ret, Arg>(workflowId: string, def: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
    try {
      // With an Idempotency-Key, its Update ID: a retry of a request whose answer was lost gets
      // the first outcome instead of running (and being refused) again.
      const updateId = currentUpdateId();
      return await this.client.workflow.getHandle(workflowId).executeUpdate(def, { args: [arg], ...(updateId ? { updateId } : {}) });
    } catch (err) {
      throw toAppError(err, workflowId);
    }
  }

  query<Ret>(workflowId: string, def: QueryDefinition<Ret, []>): Promise<Ret> {
    return queryWorkflow(this.client, workflowId, def);
  }
}

/** Live state straight from the workflow (needs a running worker; lists use the read model). */
export async function queryWorkflow<Ret>(client: Client, workflowId: string, def: QueryDefinition<Ret, []>, timeoutMs = 5000): Promise<Ret> {
  try {
    return await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflow.getHandle(workflowId).query(def));
  } catch (err) {
    const mapped = toAppError(err, workflowId);
    if (mapped instanceof AppError) throw mapped;
    throw new AppError(AppErrorCode.UNAVAILABLE, `no worker answered for this ${subjectOf(workflowId)}; the read model still shows its last state`);
  }
}

/** What a workflow id names, in the API's words (ids are business keys: `approval:…`, `plan:…`, else an assignment). */
export function subjectOf(workflowId: string): 'approval' | 'plan' | 'assignment' {
  if (workflowId.startsWith('approval:')) return 'approval';
  if (workflowId.startsWith('plan:')) return 'plan';
  return 'assignment';
}

const CLOSED_REASON = { approval: 'APPROVAL_CLOSED', plan: 'PLAN_CLOSED', assignment: 'ASSIGNMENT_CLOSED' } as const;
const CLOSED_MESSAGE = {
  approval: 'this approval is already closed; no decision can be recorded',
  plan: 'this plan is already closed',
  assignment: 'this assignment is already closed; nothing can be changed',
} as const;

/** gRPC INVALID_ARGUMENT: Temporal refused the request itself (an id too long, say). */
const GRPC_INVALID_ARGUMENT = 3;

/**
 * A Temporal error as what the person is told. Messages speak of approvals, plans and
 * assignments, never of workflows or their internal ids (a plan's workflow id is `plan:<key>`).
 */
export function toAppError(err: unknown, workflowId: string): Error {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    return new AppError(codeOfWorkflowRefusal(err.cause.type), err.cause.message, err.cause.type ?? undefined);
  }
  const subject = subjectOf(workflowId);
  const message = err instanceof Error ? err.message : String(err);
  // An Update or Signal to a workflow that has finished is NOT_FOUND "workflow execution already completed".
  if (/already completed|already finished/i.test(message)) {
    return new AppError(AppErrorCode.CONFLICT, CLOSED_MESSAGE[subject], CLOSED_REASON[subject]);
  }
  if (err instanceof WorkflowNotFoundError) {
    return new AppError(AppErrorCode.NOT_FOUND, `no such ${subject} is running`, 'NOT_RUNNING');
  }
  if (err instanceof ServiceError && (err.cause as { code?: unknown } | undefined)?.code === GRPC_INVALID_ARGUMENT) {
    return new AppError(AppErrorCode.VALIDATION, `the ${subject} id is not valid`, 'INVALID_ID');
  }
  if (/UNAVAILABLE|ECONNREFUSED|deadline exceeded/i.test(message)) {
    return new AppError(AppErrorCode.UNAVAILABLE, 'Temporal is not reachable; try again shortly');
  }
  return err instanceof Error ? err : new Error(message);
}
