import type { DataSource } from 'typeorm';
import { ApplicationFailure } from '@temporalio/common';
import { createWorkingCalendar, expandPlan, handoversAtUnitEnd, type PlanDefinition, type WorkingCalendar } from '@dieu-hanh/domain';
import { FINAL_LIFECYCLES, assignmentOpening, isPeriodicSeries, type AssignmentSpec } from '@dieu-hanh/domain/assignment';
import type { OpeningProjectionsRequest, OpeningProjectionsWritten, PlanPage, PlanPageRequest } from '@dieu-hanh/workflows';
import { writeAssignments } from './projection.activities';
import { classified } from './read-model-errors';

/**
 * Most specs one page may carry. A spec is about 2.8 KB since it carries its response deadlines
 * (extension decision, coordinating units' comments, difficulty answers) with their ladders, so
 * 120 keep a page near 340 KB: under the 512 KB at which Temporal warns, far below its 2 MB limit.
 * The workflow reads what a page holds, whatever it asked for, so running plans read on unchanged.
 */
export const MAX_SPECS_PER_PAGE = 120;
/** Most ids one page may carry. */
export const MAX_IDS_PER_PAGE = 5000;

/**
 * Reads a launched plan's assignments for its workflow, a page at a time, expanded
 * from the stored definition by the same domain code the API uses. The workflow's
 * input then carries the plan key only, whatever the number of units.
 */
export class PlanActivities {
  /** The last plan expanded: a launch reads all its pages in a row. */
  private cached: { planId: string; definitionOf: string; specs: AssignmentSpec[] } | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly calendar: WorkingCalendar = createWorkingCalendar(),
  ) {}

  async planAssignmentsPage({ planId, offset, limit, onlyAssignments, idsOnly, definitionOf }: PlanPageRequest): Promise<PlanPage> {
    let specs = await this.specsOf(planId, definitionOf ?? planId);
    if (onlyAssignments) {
      const wanted = new Set(onlyAssignments);
      specs = specs.filter((s) => wanted.has(s.id));
    }
    const size = Math.max(0, Math.min(limit, idsOnly ? MAX_IDS_PER_PAGE : MAX_SPECS_PER_PAGE));
    const slice = specs.slice(offset, offset + size);
    return { total: specs.length, specs: idsOnly ? [] : slice, ids: slice.map((s) => s.id) };
  }

  /**
   * The opening projections of assignment workflows the plan has just started with `opened`
   * (patch `perf3-opening-projection`), in one transaction of two statements. The specs are
   * expanded from the plan's stored definition by the same code as its pages (`specsOf`, the
   * expansion a launch has just cached), so the workflow's input and the row hold the same spec. Idempotent like
   * every projection: a retry writes nothing twice and a row a workflow has already moved past
   * seq 1 is left alone. Other failures are retried (the activity's policy): each of these
   * workflows counts its opening as projected. Data PostgreSQL refuses (classified as permanent)
   * is written one assignment at a time, so one bad row does not keep the others out; the ids
   * still refused are returned for the plan to log.
   */
  async writeOpeningProjections({ planId, ids, at }: OpeningProjectionsRequest): Promise<OpeningProjectionsWritten> {
    const wanted = new Set(ids);
    const specs = (await this.specsOf(planId, planId)).filter((spec) => wanted.has(spec.id));
    const opening = specs.filter((spec) => !isPeriodicSeries(spec)).map((spec) => assignmentOpening(spec, at));
    if (opening.length === 0) return { refused: [] };
    const write = (batch: typeof opening) =>
      classified(`writing the opening projections of ${batch[0].spec.planId}`, () => this.db.transaction((tx) => writeAssignments(tx, batch)));
    const refusedData = (err: unknown) => err instanceof ApplicationFailure && err.nonRetryable;
    try {
      await write(opening);
      return { refused: [] };
    } catch (err) {
      if (!refusedData(err)) throw err;
    }
    // PostgreSQL refused the page's data: one at a time, so one bad row keeps no other out.
    const refused: string[] = [];
    for (const one of opening) {
      try {
        await write([one]);
      } catch (err) {
        if (!refusedData(err)) throw err;
        refused.push(one.spec.id);
      }
    }
    return { refused };
  }

  async openAssignmentIdsOfPlan({ planId, afterId, limit }: { planId: string; afterId?: string; limit: number }): Promise<string[]> {
    const rows = (await classified(`reading the open assignments of plan ${planId}`, () =>
      this.db.query(
        `SELECT id FROM assignments WHERE plan_key = $1 AND lifecycle NOT IN (${FINAL_LIFECYCLES.map((_, i) => `$${i + 4}`).join(', ')}) AND id > $2 ORDER BY id LIMIT $3`,
        [planId, afterId ?? '', Math.max(1, Math.min(limit, MAX_IDS_PER_PAGE)), ...FINAL_LIFECYCLES],
      ),
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async handoversDue({ planId, unit, validTo }: { planId: string; unit: string; validTo: string }): Promise<{ id: string; from: string; to: string }[]> {
    // The definition in force: the last amendment applied to the running version, else itself.
    const [row] = (await classified(`reading the definition in force of plan ${planId}`, () =>
      this.db.query(
        `SELECT definition FROM plan_versions WHERE key = $1 OR (amends_key = $1 AND amended_at IS NOT NULL)
         ORDER BY (key = $1), amended_at DESC NULLS LAST LIMIT 1`,
        [planId],
      ),
    )) as { definition: PlanDefinition }[];
    if (!row) throw ApplicationFailure.create({ type: 'PLAN_NOT_FOUND', message: `no stored plan version ${planId}`, nonRetryable: true });
    const open = (await classified(`reading the leads of plan ${planId}`, () =>
      this.db.query(`SELECT id, lead_unit FROM assignments WHERE plan_key = $1 AND lifecycle NOT IN (${FINAL_LIFECYCLES.map((_, i) => `$${i + 2}`).join(', ')})`, [planId, ...FINAL_LIFECYCLES]),
    )) as { id: string; lead_unit: string }[];
    const leads = new Map(open.map((r) => [r.id, r.lead_unit]));
    return handoversAtUnitEnd(row.definition, this.calendar, { planId, unit, validTo, leads });
  }

  private async specsOf(planId: string, definitionOf: string): Promise<AssignmentSpec[]> {
    if (this.cached?.planId === planId && this.cached.definitionOf === definitionOf) return this.cached.specs;
    const [row] = (await classified(`reading plan ${definitionOf}`, () =>
      this.db.query(`SELECT definition FROM plan_versions WHERE key = $1`, [definitionOf]),
    )) as { definition: PlanDefinition }[];
    if (!row) {
      throw ApplicationFailure.create({ type: 'PLAN_NOT_FOUND', message: `no stored plan version ${definitionOf}`, nonRetryable: true });
    }
    const specs = expandPlan(row.definition, this.calendar, { planId });
    this.cached = { planId, definitionOf, specs };
    return specs;
  }
}
