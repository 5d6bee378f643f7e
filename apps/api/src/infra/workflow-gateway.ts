import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import { AppError, AppErrorCode, codeOfWorkflowRefusal } from '../common/app-error';

/**
 * The API's only way to change workflow state: Updates, answered synchronously.
 * A workflow's refusal (validator) becomes a 4xx with its reason; nothing else changes.
 */
@Injectable()
export class WorkflowGateway {
  constructor(@Inject(Client) private readonly client: Client) {}

  async update<Ret, Arg>(workflowId: string, def: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
    try {
      return await this.client.workflow.getHandle(workflowId).executeUpdate(def, { args: [arg] });
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
    throw new AppError(AppErrorCode.UNAVAILABLE, `no worker answered for ${workflowId}; the read model still shows its last state`);
  }
}

export function toAppError(err: unknown, workflowId: string): Error {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    return new AppError(codeOfWorkflowRefusal(err.cause.type), err.cause.message, err.cause.type ?? undefined);
  }
  if (err instanceof WorkflowNotFoundError) {
    return new AppError(AppErrorCode.NOT_FOUND, `no running workflow ${workflowId}`);
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/workflow execution already completed|already completed/i.test(message)) {
    return new AppError(AppErrorCode.CONFLICT, `${workflowId} is already closed`, 'CLOSED');
  }
  if (/UNAVAILABLE|ECONNREFUSED|deadline exceeded/i.test(message)) {
    return new AppError(AppErrorCode.UNAVAILABLE, 'Temporal is not reachable; try again shortly');
  }
  return err instanceof Error ? err : new Error(message);
}
