// The workflow bundle's entry point (Worker `workflowsPath`): workflow functions only.
export { assignmentWorkflow } from './assignment.workflow';
export { approvalWorkflow } from './approval.workflow';
export { planWorkflow } from './plan.workflow';
export { monthlyReportWorkflow } from './monthly-report.workflow';
export { webhookDispatcherWorkflow } from './webhook.workflow';
export { overdueSummaryWorkflow } from './overdue-summary.workflow';
export { uploadSweepWorkflow } from './upload-sweep.workflow';
