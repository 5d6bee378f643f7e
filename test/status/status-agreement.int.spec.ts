import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { WORKFLOW_TYPES, cancelSignal, decideUpdate, submitUpdate, SA_STATUS } from '@dieu-hanh/workflows';
import {
  STATUS_CODES,
  assignmentStatus,
  createWorkingCalendar,
  statusClock,
  statusSqlFilter,
  statusSqlParams,
  statusVisibilityQuery,
  settledStatus,
  type StatusCode,
} from '@dieu-hanh/domain';
import type { AssignmentSpec, AssignmentState } from '@dieu-hanh/domain/assignment';
import { eventually, startWorker, type WorkerHarness } from '../support/harness';
import { startApi, type ApiHarness } from '../support/api-harness';
import { DRAFTER, OFFICE, testSpec, today } from '../workflows/fixtures';
import { ASSIGNMENT_STATUS_COLUMNS } from '../../apps/api/src/assignments/assignments.service';

const DAY = 86_400;
const calendar = createWorkingCalendar();

/**
 * Issue 10: one status definition. The same fixtures (real workflows on the real Temporal dev
 * server, projected into PostgreSQL) are classified by the domain function, by the API's list
 * filter, by the SQL filter and by a Temporal list query on the search attributes: all four agree.
 */
describe('one status, four readers', () => {
  let h: WorkerHarness;
  let api: ApiHarness;
  let token: string;
  const planId = `STATUS-${randomUUID().slice(0, 8)}@v1`;
  const fixtures: { name: string; spec: AssignmentSpec; intended: StatusCode }[] = [];

  const fixture = (name: string, intended: StatusCode, kind: 'concretisation' | 'drafting', dueInSeconds: number) => {
    const spec = { ...testSpec(kind, { dueInSeconds, chain: kind === 'drafting' }), planId };
    fixtures.push({ name, spec, intended });
    return spec;
  };
  const start = (spec: AssignmentSpec) => h.client.workflow.start(WORKFLOW_TYPES.assignment, { workflowId: spec.id, taskQueue: h.taskQueue, args: [{ spec }] });
  const submit = (spec: AssignmentSpec) =>
    h.client.workflow
      .getHandle(spec.id)
      .executeUpdate(submitUpdate, { args: [{ version: 1, text: 'Nội dung', attachments: [], actor: DRAFTER, ...(spec.mustCite ? { cites: spec.mustCite } : {}) }] });

  beforeAll(async () => {
    h = await startWorker();
    api = await startApi(h.taskQueue);
    const username = `status-auditor-${Date.now().toString(36)}`;
    await api.createUser({ username, displayName: 'Kiểm tra viên', unitCode: 'UBKT', roles: ['auditor'] });
    token = await api.login(username);

    const notDue = fixture('open, a month ahead', 'not-due', 'concretisation', 30 * DAY);
    const dueSoon = fixture('open, due within the hour', 'due-soon', 'concretisation', 3600);
    const overdue = fixture('open, an hour past its deadline', 'overdue', 'concretisation', -3600);
    const waiting = fixture('submitted on time, awaiting approval', 'not-due', 'drafting', 30 * DAY);
    const waitingLate = fixture('submitted late, awaiting approval', 'overdue', 'drafting', -3600);
    const onTime = fixture('done before its deadline', 'done-on-time', 'concretisation', 30 * DAY);
    const late = fixture('done after its deadline', 'done-late', 'concretisation', -3600);
    const rejected = fixture('rejected', 'rejected', 'drafting', 30 * DAY);
    const cancelled = fixture('cancelled after its deadline', 'cancelled', 'concretisation', -3600);

    for (const { spec } of fixtures) await start(spec);
    for (const spec of [waiting, waitingLate, onTime, late]) await submit(spec);
    const { approvalId } = await submit(rejected);
    await h.client.workflow
      .getHandle(approvalId!)
      .executeUpdate(decideUpdate, { args: [{ approvalId: approvalId!, version: 1, step: 'vptu-review', decision: 'reject', comment: 'Không phù hợp', actor: OFFICE, today: today() }] });
    await h.client.workflow.getHandle(cancelled.id).signal(cancelSignal, { reason: 'Thay thế', actor: OFFICE });
    void notDue;
    void dueSoon;
    void overdue;

    // Every fixture projected in its final shape, and its DhStatus written.
    for (const f of fixtures) {
      await eventually(async () => {
        const [row] = (await h.db.query(`SELECT state FROM assignments WHERE id = $1`, [f.spec.id])) as { state: AssignmentState }[];
        if (!row) return undefined;
        if (assignmentStatus(row.state, new Date(), calendar) !== f.intended) return undefined;
        const described = await h.client.workflow.getHandle(f.spec.id).describe();
        const settled = settledStatus(row.state);
        return described.typedSearchAttributes.get(SA_STATUS) === (settled ?? 'open') && (await settledInView(h.db, f.spec.id)) === settled ? true : undefined;
      }, 60_000, `${f.name} projected as ${f.intended}`);
    }
  }, 180_000);

  afterAll(async () => {
    for (const { spec } of fixtures) await h?.client.workflow.getHandle(spec.id).terminate('test done').catch(() => undefined);
    await api?.close();
    await h?.close();
  });

  it('the domain function gives each fixture the status it stands for', async () => {
    const rows = (await h.db.query(`SELECT id, state FROM assignments WHERE plan_key = $1`, [planId])) as { id: string; state: AssignmentState }[];
    const byId = new Map(rows.map((r) => [r.id, r.state]));
    const now = new Date();
    expect(fixtures.map((f) => `${f.name}: ${assignmentStatus(byId.get(f.spec.id)!, now, calendar)}`)).toEqual(fixtures.map((f) => `${f.name}: ${f.intended}`));
  });

  it('the API list filter, the SQL filter and the search attribute return the same rows for every status', async () => {
    const idsOf = (code: StatusCode) => fixtures.filter((f) => f.intended === code).map((f) => f.spec.id).sort();
    for (const code of STATUS_CODES) {
      const clock = statusClock(new Date(), calendar);
      const listed = await api.call('GET', `/api/assignments?plan=${encodeURIComponent(planId)}&status=${code}&pageSize=500`, token);
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      const fromApi = (listed.body.items as { id: string; status: string }[]).map((i) => i.id).sort();
      expect(fromApi, `API list ?status=${code}`).toEqual(idsOf(code));
      expect((listed.body.items as { status: string }[]).every((i) => i.status === code), `API rows say ${code}`).toBe(true);

      const fromSql = (
        (await h.db
          .createQueryBuilder()
          .select('a.id', 'id')
          .from('assignments', 'a')
          .where('a.plan_key = :planId', { planId })
          .andWhere(statusSqlFilter([code], ASSIGNMENT_STATUS_COLUMNS), statusSqlParams(clock))
          .getRawMany()) as { id: string }[]
      )
        .map((r) => r.id)
        .sort();
      expect(fromSql, `SQL filter ${code}`).toEqual(idsOf(code));

      const fromTemporal = await eventually(async () => {
        const found: string[] = [];
        for await (const wf of h.client.workflow.list({ query: `DhPlan = '${planId}' AND ${statusVisibilityQuery(code, clock)}` })) found.push(wf.workflowId);
        found.sort();
        return JSON.stringify(found) === JSON.stringify(idsOf(code)) ? found : undefined;
      }, 20_000, `the Temporal list query for ${code} to show ${JSON.stringify(idsOf(code))}`);
      expect(fromTemporal).toEqual(idsOf(code));
    }
  });

  it('the API refuses an unknown status with the field named', async () => {
    const res = await api.call('GET', `/api/assignments?status=late-ish`, token);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('status');
  });
});

async function settledInView(db: DataSource, id: string): Promise<string | null> {
  const [row] = (await db.query(`SELECT status_settled FROM assignments WHERE id = $1`, [id])) as { status_settled: string | null }[];
  return row?.status_settled ?? null;
}
