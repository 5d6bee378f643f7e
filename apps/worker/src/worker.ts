import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { WORKFLOW_PRELOAD_MODULES, workflowsPath, type AssignmentActivities, type UploadActivities, type WebhookActivities } from '@dieu-hanh/workflows';
import { PostgresFileStore, type FileStore } from '@dieu-hanh/persistence/files';
import { UploadSweepActivities } from './activities/upload-sweep.activities';
import { EffectActivities } from './activities/effects.activities';
import { NoticeActivities } from './activities/notice.activities';
import { PlanActivities } from './activities/plan.activities';
import { PlanningActivities } from './activities/planning.activities';
import { ProjectionActivities } from './activities/projection.activities';
import { WebhookActivitiesImpl } from './activities/webhook.activities';
import { SummaryActivities } from './activities/summary.activities';
import type { Mailer } from './notices/mailer';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: DataSource;
  mailer: Mailer;
  publicUrl: string;
  /** A prebuilt workflow bundle (tests build one per run); otherwise bundled from source. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Where uploaded files' bytes are (the sweep removes those never submitted); PostgreSQL when not given. */
  fileStore?: FileStore;
  /** Sticky cache size (the SDK's default is sized from the heap limit). */
  maxCachedWorkflows?: number;
}

/** Builds the activities from their dependencies: the only place they are wired. */
export function createActivities(deps: Pick<WorkerDeps, 'db' | 'mailer' | 'publicUrl' | 'fileStore'>): AssignmentActivities & WebhookActivities & UploadActivities {
  const projection = new ProjectionActivities(deps.db);
  const notices = new NoticeActivities(deps.db, deps.mailer, deps.publicUrl);
  const planning = new PlanningActivities();
  const plans = new PlanActivities(deps.db);
  const summaries = new SummaryActivities(deps.db, notices);
  const uploads = new UploadSweepActivities(deps.db, deps.fileStore ?? new PostgresFileStore(deps.db));
  const effects = new EffectActivities(deps.db, notices);
  return {
    projectAssignment: (input) => projection.projectAssignment(input),
    projectApproval: (input) => projection.projectApproval(input),
    sendNotice: (input) => notices.sendNotice(input),
    recordEffects: (input) => effects.recordEffects(input),
    reschedule: (input) => planning.reschedule(input),
    waitSchedule: (input) => planning.waitSchedule(input),
    nextReportPeriod: (input) => planning.nextReportPeriod(input),
    planAssignmentsPage: (input) => plans.planAssignmentsPage(input),
    writeOpeningProjections: (input) => plans.writeOpeningProjections(input),
    openAssignmentIdsOfPlan: (input) => plans.openAssignmentIdsOfPlan(input),
    handoversDue: (input) => plans.handoversDue(input),
    ...new WebhookActivitiesImpl(deps.db).asActivities(),
    sendOverdueSummaries: (input) => summaries.sendOverdueSummaries(input),
    sweepUploads: (input) => uploads.sweepUploads(input),
  };
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath, bundlerOptions: { preloadModules: WORKFLOW_PRELOAD_MODULES } }),
    activities: createActivities(deps),
    ...(deps.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: deps.maxCachedWorkflows } : {}),
  });
}
