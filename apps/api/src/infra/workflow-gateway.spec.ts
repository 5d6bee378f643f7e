import { describe, expect, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import { AppError } from '../common/app-error';
import { toAppError } from './workflow-gateway';

const asBody = (err: Error) => (err instanceof AppError ? { code: err.code, reason: err.reason, message: err.message } : err);

describe('toAppError: Temporal errors in the words of the API', () => {
  it('a decision on a closed approval is 409 APPROVAL_CLOSED, without the workflow id', () => {
    const id = 'approval:drafting:KH@v1:FT1:BCSD:v1';
    const err = toAppError(new WorkflowNotFoundError('workflow execution already completed', id, undefined), id);
    expect(asBody(err)).toEqual({ code: 'CONFLICT', reason: 'APPROVAL_CLOSED', message: 'this approval is already closed; no decision can be recorded' });
  });

  it('a closed assignment or plan is a 409 of its own', () => {
    expect(asBody(toAppError(new WorkflowNotFoundError('workflow execution already completed', 'x', undefined), 'drafting:KH@v1:FT1:BCSD'))).toMatchObject({ code: 'CONFLICT', reason: 'ASSIGNMENT_CLOSED' });
    expect(asBody(toAppError(new Error('workflow execution already completed'), 'plan:KH@v1'))).toMatchObject({ code: 'CONFLICT', reason: 'PLAN_CLOSED', message: 'this plan is already closed' });
  });

  it('an unknown workflow is a 404 that names the thing, not the workflow', () => {
    const err = toAppError(new WorkflowNotFoundError('workflow not found for ID: plan:KH@v1', 'plan:KH@v1', undefined), 'plan:KH@v1');
    expect(asBody(err)).toEqual({ code: 'NOT_FOUND', reason: 'NOT_RUNNING', message: 'no such plan is running' });
    expect(err.message).not.toMatch(/workflow|plan:KH/);
  });
});
