export * from './definitions';
export * from './activities.contract';
export * from './search-attributes';
export { openingSearchAttributes } from './search-attributes.workflow';
export type { AssignmentWorkflowInput } from './assignment.workflow';
export type { ApprovalResult } from './approval.workflow';
export type { PlanWorkflowInput } from './plan.workflow';
export type { MonthlyReportInput } from './monthly-report.workflow';
export { webhookWakeSignal, type WebhookDispatcherInput } from './webhook.workflow';
export type { OverdueSummaryInput } from './overdue-summary.workflow';
export const WORKFLOW_TYPES = {
  assignment: 'assignmentWorkflow',
  approval: 'approvalWorkflow',
  plan: 'planWorkflow',
  monthlyReport: 'monthlyReportWorkflow',
  webhookDispatcher: 'webhookDispatcherWorkflow',
  overdueSummary: 'overdueSummaryWorkflow',
  uploadSweep: 'uploadSweepWorkflow',
} as const;
/** The Temporal Schedule that starts the sweep of uploads never submitted, one per task queue. */
export const uploadSweepScheduleId = (taskQueue: string) => `upload-sweep:${taskQueue}`;
/** The one dispatcher of outbound webhooks per task queue. */
export const webhookDispatcherId = (taskQueue: string) => `webhooks:${taskQueue}`;
/** Absolute path of the workflow bundle entry, for `Worker.create({ workflowsPath })`. */
export const workflowsPath = `${__dirname}/workflows.ts`;
