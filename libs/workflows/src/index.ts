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
/**
 * Modules the workflows of one worker share instead of each evaluating its own copy (bundler option
 * `preloadModules` of the SDK's reusable V8 context): `bundleWorkflowCode({ workflowsPath,
 * preloadModules: WORKFLOW_PRELOAD_MODULES })`, or `bundlerOptions` when a worker bundles itself.
 * Pure modules only, with no module-level state (the SDK freezes their exports): the domain's
 * assignment rules. It changes no command; it saves about 27 KB per cached workflow (issue 12,
 * docs/benchmarks.md "8: memory").
 */
export const WORKFLOW_PRELOAD_MODULES: string[] = ['@dieu-hanh/domain/assignment'];
