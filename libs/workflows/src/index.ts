export * from './definitions';
export * from './activities.contract';
export * from './search-attributes';
export type { AssignmentWorkflowInput } from './assignment.workflow';
export type { ApprovalResult } from './approval.workflow';
export type { PlanWorkflowInput } from './plan.workflow';
export type { MonthlyReportInput } from './monthly-report.workflow';
export { searchStatus } from './search-attributes.workflow';
export const WORKFLOW_TYPES = {
  assignment: 'assignmentWorkflow',
  approval: 'approvalWorkflow',
  plan: 'planWorkflow',
  monthlyReport: 'monthlyReportWorkflow',
} as const;
/** Absolute path of the workflow bundle entry, for `Worker.create({ workflowsPath })`. */
export const workflowsPath = `${__dirname}/workflows.ts`;
