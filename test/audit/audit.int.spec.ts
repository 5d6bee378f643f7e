import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';
import { WorkflowNotFoundError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { AssignmentSpec, AssignmentState } from '@dieu-hanh/domain/assignment';
import type { HistoryJson } from '@dieu-hanh/domain/audit';
import { assignmentStateQuery } from '@dieu-hanh/workflows';
import { startWorker, eventually, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { importAndLaunchOne } from '../support/launch';
import { ownSeedPlan } from '../support/seed-plan';
import { WorkflowArchiver } from '../../apps/worker/src/archive/workflow-archiver';
import { ReplayVerifier, replayRuns } from '../../apps/api/src/audit/replay-verifier';
import { AuditService } from '../../apps/api/src/audit/audit.service';
import { testSpec } from '../workflows/fixtures';

const WORKFLOWS_SRC = path.join(__dirname, '..', '..', 'libs', 'workflows', 'src');

/** The real `temporal` CLI against the test server. */
function temporal(...args: string[]): string {
  return execFileSync(inject('temporalCli'), [...args, '--address', inject('temporalAddress'), '--namespace', inject('temporalNamespace')]).toString();
}

describe('auditing: timeline, state at any event, replay, archive, refusals (real Temporal and PostgreSQL)', () => {
  let worker: WorkerHarness;
  let api: ApiHarness;
  let spec: AssignmentSpec;
  let assignmentId: string;
  let planCode: string;
  const tokens: Record<string, string> = {};
  /** The assignment's history as the real CLI exported it (kept by the import test). */
  let cliExport: unknown;
  const fixedHistory = () => cliExport;
  /** What the workflow's query answered after each step, and at which history event. */
  const recorded: { step: string; eventId: number; state: AssignmentState }[] = [];

  const assignmentUrl = () => `/api/assignments/${encodeURIComponent(assignmentId)}`;
  const auditUrl = (id: string, tail: string) => `/api/audit/workflows/${encodeURIComponent(id)}/${tail}`;

  const historyNow = async (id: string): Promise<HistoryJson> => {
    const res = await api.call('GET', auditUrl(id, 'history'), tokens.auditor);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as HistoryJson;
  };

  /**
   * Waits until the workflow is at rest (no workflow task or activity in flight), then
   * records its query answer with the id of the last history event, checking that no
   * event was added while the query ran.
   */
  const recordQuery = async (step: string) => {
    const entry = await eventually(async () => {
      const handle = worker.client.workflow.getHandle(assignmentId);
      const before = JSON.parse(historyToJSON(await handle.fetchHistory())) as HistoryJson;
      const description = await handle.describe();
      const last = before.events.at(-1)!.eventType;
      const busy = (description.raw.pendingActivities?.length ?? 0) > 0 || /WORKFLOW_TASK_(SCHEDULED|STARTED)$/.test(last);
      if (busy) return undefined;
      const state = await handle.query(assignmentStateQuery);
      const after = (await handle.fetchHistory()).events ?? [];
      return after.length === before.events.length ? { step, eventId: before.events.length, state } : undefined;
    }, 30_000, `the workflow at rest after ${step}`);
    recorded.push(entry);
    return entry;
  };

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi(worker.taskQueue);
    api.app.get(ReplayVerifier).useBundle({ codePath: inject('workflowBundlePath') });
    const own = ownSeedPlan('AUDIT');
    planCode = own.plan.plan.code;
    spec = own.specsFor('probe').find((s) => s.kind === 'drafting' && s.approvalChain?.length)!;
    const office = own.plan.plan.standingOffice;
    const suffix = randomUUID().slice(0, 6);
    const users: [string, string, string, string[]][] = [
      ['admin', 'Quản trị', office, ['administrator', 'standing-office']],
      ['drafter', 'Nguyễn Văn A', spec.leadUnit, ['drafter']],
      ['outsider', 'Người ngoài', 'NOT-A-UNIT', ['approver']],
      ['auditor', 'Kiểm tra viên B', office, ['auditor']],
      ...spec.approvalChain!.map((step, i): [string, string, string, string[]] => [`approver${i}`, `Người duyệt ${i}`, step.unit, ['approver', step.role]]),
    ];
    for (const [key, name, unit, roles] of users) {
      await api.createUser({ username: `${key}-${suffix}`, displayName: name, unitCode: unit, roles: roles as never });
      tokens[key] = await api.login(`${key}-${suffix}`);
    }
    await worker.db.query(`UPDATE users SET position = 'Chuyên viên' WHERE username = $1`, [`drafter-${suffix}`]);
    const launched = await importAndLaunchOne(api, tokens.admin, own.text, spec.id);
    assignmentId = launched.assignmentId;
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  it('drafting -> send back -> v2 -> approval: the state at each event equals what the workflow answered then', async () => {
    await recordQuery('opened');
    const v1 = await api.call('POST', `${assignmentUrl()}/drafts`, tokens.drafter, { version: 1, text: 'Dự thảo lần 1', attachments: [] });
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    const approval1 = v1.body.approvalId as string;
    await recordQuery('v1 submitted');

    // Refused attempts: someone without authority decides; an auditor tries to write.
    const chain = spec.approvalChain!;
    const approvalUrl = (id: string) => `/api/approvals/${encodeURIComponent(id)}`;
    await eventually(async () => ((await api.call('GET', approvalUrl(approval1), tokens.admin)).status === 200 ? true : undefined));
    const refused = await api.call('POST', `${approvalUrl(approval1)}/decision`, tokens.outsider, { version: 1, step: chain[0].step, decision: 'approve' });
    expect(refused.status).toBe(403);
    const auditorWrite = await api.call('POST', `${assignmentUrl()}/drafts`, tokens.auditor, { version: 2, text: 'kiểm tra', attachments: [] });
    expect(auditorWrite.status).toBe(403);

    const sendBack = await api.call('POST', `${approvalUrl(approval1)}/decision`, tokens.approver0, { version: 1, step: chain[0].step, decision: 'request-changes', comment: 'Bổ sung giải pháp' });
    expect(sendBack.status, JSON.stringify(sendBack.body)).toBe(200);
    await eventually(async () => ((await api.call('GET', assignmentUrl(), tokens.admin)).body.lifecycle === 'open' ? true : undefined), 30_000, 'reopened');
    await recordQuery('sent back');

    const v2 = await api.call('POST', `${assignmentUrl()}/drafts`, tokens.drafter, { version: 2, text: 'Dự thảo lần 2', attachments: [] });
    expect(v2.status, JSON.stringify(v2.body)).toBe(201);
    await recordQuery('v2 submitted');
    const approval2 = v2.body.approvalId as string;
    await eventually(async () => ((await api.call('GET', approvalUrl(approval2), tokens.admin)).status === 200 ? true : undefined));
    for (const [i, step] of chain.entries()) {
      const decided = await api.call('POST', `${approvalUrl(approval2)}/decision`, tokens[`approver${i}`], { version: 2, step: step.step, decision: 'approve', comment: 'Đồng ý' });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    }
    await worker.client.workflow.getHandle(assignmentId).result();
    const final = await recordQuery('approved');
    expect(final.state.lifecycle).toBe('done');

    expect(recorded.map((r) => r.state.lifecycle)).toEqual(['open', 'awaiting-approval', 'open', 'awaiting-approval', 'done']);
    for (const r of recorded) {
      const res = await api.call('GET', `${auditUrl(assignmentId, 'state')}?eventId=${r.eventId}`, tokens.auditor);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.kind).toBe('assignment');
      expect(res.body.state, `state at event ${r.eventId} (${r.step})`).toEqual(r.state);
    }
  });

  it('the timeline names people with position and unit, shows refused attempts, and links to Temporal', async () => {
    const res = await api.call('GET', auditUrl(assignmentId, 'timeline'), tokens.auditor);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const entries = res.body.entries as { kind: string; text: { vi: string }; refused?: boolean; workflowId: string; eventId: number }[];
    const unitName = ownSeedPlan('X').plan.units.find((u) => u.code === spec.leadUnit)!.name;
    const v2 = entries.find((e) => e.kind === 'submitted' && e.text.vi.startsWith('Phiên bản 2'))!;
    expect(v2.text.vi).toMatch(new RegExp(`^Phiên bản 2 do Nguyễn Văn A \\(Chuyên viên, ${unitName.replace(/[()]/g, '\\$&')}\\) trình lúc \\d\\d:\\d\\d \\d\\d/\\d\\d/\\d{4}$`));
    expect(entries.some((e) => e.kind === 'approval-decided' && e.text.vi.startsWith('Yêu cầu chỉnh sửa bước 1'))).toBe(true);
    expect(entries.some((e) => e.kind === 'approval-decided' && e.text.vi.startsWith('Phê duyệt bước'))).toBe(true);
    const refused = await eventually(async () => {
      const again = await api.call('GET', auditUrl(assignmentId, 'timeline'), tokens.auditor);
      const list = (again.body.entries as typeof entries).filter((e) => e.refused);
      return list.length >= 2 ? list : undefined;
    }, 10_000, 'two refused attempts on the timeline');
    expect(refused.some((e) => e.workflowId.startsWith('approval:') && e.text.vi.includes('Người ngoài'))).toBe(true);
    expect(refused.some((e) => e.workflowId === assignmentId && e.text.vi.includes('Kiểm tra viên B'))).toBe(true);
    expect(res.body.temporalUiUrl).toContain(encodeURIComponent(assignmentId));
  });

  it('a history exported by the real temporal CLI imports and replays as consistent; ours is the same JSON', async () => {
    const cliJson = JSON.parse(temporal('workflow', 'show', '--workflow-id', assignmentId, '--output', 'json'));
    cliExport = cliJson;
    const ours = await historyNow(assignmentId);
    expect(ours).toEqual(cliJson);

    // A history file is bigger than the API's JSON body limit: it goes up as a file (octet-stream).
    const imported = await api.call('POST', '/api/audit/imports', tokens.auditor, cliJson, { 'content-type': 'application/octet-stream' });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body.workflowId).toBe(assignmentId);
    const importId = imported.body.importId as string;
    const verified = await api.call('POST', auditUrl(importId, 'verify'), tokens.auditor);
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body).toMatchObject({ ok: true, workflowId: assignmentId });
    const last = recorded.at(-1)!;
    const state = await api.call('GET', `${auditUrl(importId, 'state')}?eventId=${last.eventId}`, tokens.auditor);
    expect(state.body.state).toEqual(last.state);

    const junk = await api.call('POST', '/api/audit/imports', tokens.auditor, { events: [{ eventId: '1', eventType: 'nope' }] });
    expect(junk.status).toBe(400);
    expect(junk.body.fields.map((f: { field: string }) => f.field)).toContain('events[0].eventType');
  });

  it('workflow code changed without patched() is reported non-deterministic, with the event named', async () => {
    // A copy of today's workflow code with one extra activity right after the assignment opens.
    const dir = path.join(__dirname, `.tmp-changed-workflows-${randomUUID().slice(0, 8)}`);
    mkdirSync(dir);
    try {
      for (const file of readdirSync(WORKFLOWS_SRC).filter((f) => f.endsWith('.ts'))) {
        writeFileSync(path.join(dir, file), readFileSync(path.join(WORKFLOWS_SRC, file), 'utf8'));
      }
      const file = path.join(dir, 'assignment.workflow.ts');
      const source = readFileSync(file, 'utf8');
      const opened = source.match(/\n(\s*)apply\(openingEvent\([^\n]*\n/);
      expect(opened, 'the assignment workflow opens with apply(openingEvent(…))').not.toBeNull();
      // An extra activity right after the opening: a command no history of today's code has there
      // (a timer would not do: Temporal matches timers by sequence number, and an assignment its
      // plan opened arms its reminder timer first). `proxyActivities` under a name of its own.
      const changed = source
        .replace(opened![0], `${opened![0]}${opened![1]}await extraActivities<{ auditProbe(): Promise<void> }>({ startToCloseTimeout: '1 minute' }).auditProbe();\n`)
        .replace("from '@temporalio/workflow';", "from '@temporalio/workflow';\nimport { proxyActivities as extraActivities } from '@temporalio/workflow';");
      writeFileSync(file, changed);
      const { code } = await bundleWorkflowCode({ workflowsPath: path.join(dir, 'workflows.ts'), logger: new DefaultLogger('ERROR') });
      const history = await historyNow(assignmentId);
      const [result] = await replayRuns({ code }, [{ workflowId: assignmentId, runId: 'r', history }]);
      expect(result.ok).toBe(false);
      expect(result.error!.message).toMatch(/nondetermin/i);
      expect(result.error!.eventId).toBeGreaterThan(1);
      expect(result.error!.eventId).toBeLessThanOrEqual(history.events.length);
      // The event named is the one the changed code no longer matches: the first command the
      // workflow recorded after opening (where the extra timer now stands).
      const firstTaskDone = history.events.findIndex((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED');
      // The first task's commands (markers, search attributes, the first projection) may come in
      // either order; the changed code diverges at one of them, before the next workflow task.
      const nextTask = history.events.slice(firstTaskDone + 1).find((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED');
      expect(result.error!.eventId).toBeGreaterThan(Number(history.events[firstTaskDone].eventId));
      expect(result.error!.eventId).toBeLessThan(Number(nextTask!.eventId));
      expect(history.events[result.error!.eventId! - 1].eventType).not.toMatch(/WORKFLOW_TASK/);
      // …while today's code replays the same history as consistent.
      const [today] = await replayRuns({ codePath: inject('workflowBundlePath') }, [{ workflowId: assignmentId, runId: 'r', history }]);
      expect(today.ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every workflow of the plan verifies as consistent', async () => {
    const res = await api.call('POST', `/api/audit/plans/${encodeURIComponent(planCode)}/verify`, tokens.auditor);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const ids = res.body.results.map((r: { workflowId: string }) => r.workflowId);
    expect(ids).toContain(assignmentId);
    expect(ids.filter((id: string) => id.startsWith('approval:'))).toHaveLength(2);
    expect(res.body.results.filter((r: { ok: boolean }) => !r.ok)).toEqual([]);
  });

  it('the archive chain names a tampered entry; after deletion from Temporal, timeline, replay and state work from the archive', async () => {
    const archiver = new WorkflowArchiver(worker.client, worker.db, inject('temporalNamespace'));
    const approvals = [`approval:${assignmentId}:v1`, `approval:${assignmentId}:v2`];
    for (const id of [assignmentId, ...approvals]) {
      await eventually(async () => ((await archiver.archiveClosedNow({ workflowId: id })).length > 0 || (await worker.db.query(`SELECT 1 FROM workflow_archive WHERE workflow_id = $1`, [id])).length > 0 ? true : undefined), 30_000, `${id} archived`);
    }
    const intact = await api.call('GET', '/api/audit/archive/verify', tokens.auditor);
    expect(intact.body).toMatchObject({ ok: true });

    const [entry] = await worker.db.query(`SELECT id, history FROM workflow_archive WHERE workflow_id = $1`, [assignmentId]);
    const original: string = entry.history;
    const i = original.indexOf('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    await worker.db.query(`UPDATE workflow_archive SET history = $2 WHERE id = $1`, [entry.id, `${original.slice(0, i)}F${original.slice(i + 1)}`]);
    try {
      const tampered = await api.call('GET', '/api/audit/archive/verify', tokens.auditor);
      expect(tampered.body.ok).toBe(false);
      expect(tampered.body.firstMismatch).toMatchObject({ id: entry.id, workflowId: assignmentId });
    } finally {
      await worker.db.query(`UPDATE workflow_archive SET history = $2 WHERE id = $1`, [entry.id, original]);
    }

    // Temporal deletes a closed workflow through a queued task, which a loaded CI machine has run
    // well after 30 s (the test failed there once). Asking again is harmless (the server answers
    // "not found" once it is gone), so each poll repeats the request until all three are gone.
    const gone = async (id: string) => {
      try {
        await worker.client.workflow.getHandle(id).describe();
        return false;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return true;
        throw err;
      }
    };
    await eventually(async () => {
      let all = true;
      for (const id of [assignmentId, ...approvals]) {
        if (await gone(id)) continue;
        all = false;
        try {
          temporal('workflow', 'delete', '--workflow-id', id);
        } catch {
          // already being deleted, or gone between the two calls: the next poll tells
        }
      }
      return all ? true : undefined;
    }, 120_000, 'the workflow gone from Temporal');

    const timeline = await api.call('GET', auditUrl(assignmentId, 'timeline'), tokens.auditor);
    expect(timeline.status, JSON.stringify(timeline.body)).toBe(200);
    expect(timeline.body.source).toBe('archive');
    expect(timeline.body.entries.some((e: { text: { vi: string } }) => e.text.vi.startsWith('Phiên bản 2 do Nguyễn Văn A'))).toBe(true);
    const verified = await api.call('POST', auditUrl(assignmentId, 'verify'), tokens.auditor);
    expect(verified.body).toMatchObject({ ok: true });
    for (const r of recorded) {
      const state = await api.call('GET', `${auditUrl(assignmentId, 'state')}?eventId=${r.eventId}`, tokens.auditor);
      expect(state.body.state).toEqual(r.state);
    }
    const exported = await historyNow(assignmentId);
    expect(exported.events.length).toBe(recorded.at(-1)!.eventId);
  }, 300_000);

  it('follows continue-as-new runs as one chain, in Temporal and in the archive', async () => {
    const audit = api.app.get(AuditService);
    const planId = `CHAIN-${randomUUID().slice(0, 8)}`;
    const workflowId = `plan:${planId}`;
    const specs = [testSpec('review'), testSpec('review')].map((s) => ({ ...s, planId }));
    const handle = await worker.client.workflow.start('planWorkflow', { taskQueue: worker.taskQueue, workflowId, args: [{ planId, specs, startsPerRun: 1 }] });
    await eventually(async () => ((await handle.query<{ started: number }>('planProgress')).started === 2 ? true : undefined), 30_000, 'both children started');
    await handle.signal('closePlan', { reason: 'kiểm thử chuỗi' });
    await handle.result();
    const chain = await audit.history(workflowId);
    expect(chain.source).toBe('temporal');
    expect(chain.runs).toHaveLength(2);
    const verified = await audit.verify(workflowId);
    expect(verified.ok).toBe(true);
    expect(verified.runs).toHaveLength(2);
    const state = await audit.stateAt(workflowId, chain.runs[1].history.events.length);
    expect(state).toMatchObject({ kind: 'plan', state: { started: 2, total: 2, closing: true } });
    const timeline = await audit.timeline(workflowId);
    expect(timeline.entries.filter((e) => e.kind === 'child-started')).toHaveLength(2);
    expect(timeline.entries.some((e) => e.kind === 'workflow-continued-as-new')).toBe(true);

    const archiver = new WorkflowArchiver(worker.client, worker.db, inject('temporalNamespace'));
    await eventually(async () => {
      await archiver.archiveClosedNow({ workflowId });
      const rows = await worker.db.query(`SELECT run_id FROM workflow_archive WHERE workflow_id = $1`, [workflowId]);
      return rows.length === 2 ? true : undefined;
    }, 30_000, 'both runs archived');
    for (const run of chain.runs) temporal('workflow', 'delete', '--workflow-id', workflowId, '--run-id', run.runId);
    const fromArchive = await eventually(async () => {
      const c = await audit.history(workflowId);
      return c.source === 'archive' ? c : undefined;
    }, 90_000, 'the chain read from the archive');
    expect(fromArchive.runs.map((r) => r.runId)).toEqual(chain.runs.map((r) => r.runId));
    expect((await audit.verify(workflowId)).ok).toBe(true);
    for (const s of specs) await worker.client.workflow.getHandle(s.id).cancel().catch(() => undefined);
  });

  it('the command line verifies a CLI-exported file and the archive chain', () => {
    const root = path.join(__dirname, '..', '..');
    const env = { ...process.env, DATABASE_URL: inject('databaseUrl'), TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: inject('temporalNamespace') };
    const audit = (...args: string[]) => execFileSync(process.execPath, ['-r', './scripts/register.js', 'scripts/audit.ts', ...args], { cwd: root, env }).toString();
    const file = path.join(__dirname, `.tmp-history-${randomUUID().slice(0, 8)}.json`);
    try {
      const runs = fixedHistory();
      writeFileSync(file, JSON.stringify(runs));
      expect(audit('verify', file)).toMatch(/consistent$/m);
    } finally {
      rmSync(file, { force: true });
    }
    expect(audit('archive-verify')).toMatch(/^archive intact: \d+ entries/);
  }, 240_000); // two fresh Node processes, one bundling the workflow code: slow on a loaded machine

  it('refuses non-auditors and bad input promptly', async () => {
    const drafter = await api.call('GET', auditUrl(assignmentId, 'timeline'), tokens.drafter);
    expect(drafter.status).toBe(403);
    const badEvent = await api.call('GET', `${auditUrl(assignmentId, 'state')}?eventId=abc`, tokens.auditor);
    expect(badEvent.status).toBe(400);
    const missing = await api.call('GET', auditUrl('drafting:nope:nope', 'timeline'), tokens.auditor);
    expect(missing.status).toBe(404);
    let deep: unknown = 'x';
    for (let i = 0; i < 200; i++) deep = [deep];
    const tooDeep = await api.call('POST', '/api/audit/imports', tokens.auditor, { events: deep });
    expect(tooDeep.status).toBe(400);
    const nul = await api.call('POST', '/api/audit/imports', tokens.auditor, { events: [{ eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', eventTime: '2020-01-01T00:00:00Z', x: 'a\u0000b' }] });
    expect(nul.status).toBe(400);
    const notJson = await api.call('POST', '/api/audit/imports', tokens.auditor, undefined, { 'content-type': 'application/octet-stream' });
    expect(notJson.status).toBe(400);
  });
});
