import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_TYPES, approvalStateQuery, decideUpdate, submitUpdate } from '@dieu-hanh/workflows';
import { createWorkingCalendar, expandPlan, parsePlanDefinition } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';
import { startWorker, type WorkerHarness } from '../support/harness';
import { actor, testSpec, today } from './fixtures';

/** A drafting assignment of the second example plan, whose drafts go to the lead unit's head first (unitHeadReview). */
function socTrangDrafting(): AssignmentSpec {
  const parsed = parsePlanDefinition(readFileSync(join(__dirname, '..', '..', 'libs', 'domain', 'plans', 'soc-trang-example.plan.yaml'), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const planned = expandPlan(parsed.plan, createWorkingCalendar()).find((s) => s.kind === 'drafting')!;
  // The plan's chain and lead unit, with a deadline in the future and a fresh id.
  const fresh = testSpec('drafting');
  return { ...planned, id: fresh.id, deadline: fresh.deadline, schedule: fresh.schedule };
}

const refusal = async (promise: Promise<unknown>) => {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((err as WorkflowUpdateFailedError).cause as { type?: string }).type;
};

describe('the lead unit head\'s step, on the real Temporal dev server', () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('opens the lead unit head\'s step before the Standing Office\'s, and another unit\'s head cannot decide it', async () => {
    const spec = socTrangDrafting();
    const lead = spec.leadUnit;
    const handle = await h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] });
    const drafter = actor('chuyen-vien', lead, ['drafter']);
    const { approvalId } = await handle.executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Dự thảo kế hoạch', attachments: [], actor: drafter }] });
    const approval = h.client.workflow.getHandle(approvalId!);
    const opened = await approval.query(approvalStateQuery);
    expect(opened.chain.map((s) => `${s.step}@${s.unit}`)).toEqual([`lanh-dao-don-vi@${lead}`, 'vptu-tham-dinh@VP-TU', 'btv-phe-duyet@BTV-TU']);
    expect(opened.stepIndex).toBe(0);

    const decide = (who: ReturnType<typeof actor>, step: string) =>
      approval.executeUpdate(decideUpdate, { args: [{ approvalId: approvalId!, version: 1, step, decision: 'approve', comment: '', actor: who, today: today() }] });
    // The Standing Office's step is not open yet; another unit's head holds no authority here; nor does the drafter.
    expect(await refusal(decide(actor('chanh-van-phong', 'VP-TU', ['approver', 'chanh-van-phong']), 'vptu-tham-dinh'))).toBe('WRONG_STEP');
    expect(await refusal(decide(actor('truong-so', 'SO-TTTT', ['unit-head']), 'lanh-dao-don-vi'))).toBe('NOT_AUTHORISED');
    expect(await refusal(decide(drafter, 'lanh-dao-don-vi'))).toBe('NOT_AUTHORISED');
    expect((await approval.query(approvalStateQuery)).decisions).toHaveLength(0);

    // The lead unit's own head signs it off: the draft reaches the Standing Office.
    const after = await decide(actor('truong-ban', lead, ['unit-head']), 'lanh-dao-don-vi');
    expect(after.stepIndex).toBe(1);
    expect(after.chain[after.stepIndex].unit).toBe('VP-TU');
    // The head's step has its own deadline in working days (02 ngày làm việc, assumed), counted from its opening.
    expect(after.stepWaits?.[0]).toMatchObject({ kind: 'approval-step', ref: 'lanh-dao-don-vi', unit: lead, role: 'unit-head' });
    expect(after.stepWaits?.[0].closedAt).toBeDefined();
    await handle.terminate('test done');
  });
});
