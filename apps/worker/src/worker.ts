import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { workflowsPath, type AssignmentActivities } from '@dieu-hanh/workflows';
import { NoticeActivities } from './activities/notice.activities';
import { PlanningActivities } from './activities/planning.activities';
import { ProjectionActivities } from './activities/projection.activities';
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
}

/** Builds the activities from their dependencies: the only place they are wired. */
export function createActivities(deps: Pick<WorkerDeps, 'db' | 'mailer' | 'publicUrl'>): AssignmentActivities {
  const projection = new ProjectionActivities(deps.db);
  const notices = new NoticeActivities(deps.db, deps.mailer, deps.publicUrl);
  const planning = new PlanningActivities();
  return {
    projectAssignment: (input) => projection.projectAssignment(input),
    projectApproval: (input) => projection.projectApproval(input),
    sendNotice: (input) => notices.sendNotice(input),
    reschedule: (input) => planning.reschedule(input),
    nextReportPeriod: (input) => planning.nextReportPeriod(input),
  };
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath }),
    activities: createActivities(deps),
  });
}
