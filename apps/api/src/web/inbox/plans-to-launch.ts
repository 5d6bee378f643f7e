import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PlanVersionEntity } from '@dieu-hanh/persistence';
import type { CurrentUser } from '../../auth/current-user';
import { PlanChangesService } from '../../plans/plan-changes.service';
import { PlansService } from '../../plans/plans.service';

/** One plan in the Standing Office's "plans to launch" queue. */
export interface PlanToLaunch {
  id: string;
  key: string;
  number: string;
  title: string;
  importedAt: Date;
  launchedAt: Date | null;
  /** Assignments of the definition in force already given out by a launch. */
  started: number;
  /** Assignments the definition sets in motion (on-demand duties excluded: units open those). */
  total: number;
}

/**
 * Plans whose Standing Office is the person's unit and that still have work to give out:
 * imported and never launched, or launched in part (a pilot; the rest goes out with "launch
 * more"). From the stored plans only (`launched_assignments`, kept by each launch), never from
 * Temporal, so the inbox answers while the worker is down. Amendment versions are not listed:
 * they are applied to the running plan, whose definition in force they become.
 */
@Injectable()
export class PlansToLaunch {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(PlanChangesService) private readonly changes: PlanChangesService,
  ) {}

  async of(user: CurrentUser): Promise<PlanToLaunch[]> {
    if (!user.roles.includes('standing-office')) return [];
    const rows = await this.db
      .getRepository(PlanVersionEntity)
      .createQueryBuilder('p')
      .where(`p.definition->'plan'->>'standingOffice' = :unit`, { unit: user.unit })
      .andWhere('p.amends_key IS NULL')
      // Not launched, or launched in part.
      .andWhere('(p.launched_at IS NULL OR p.launched_assignments IS NOT NULL)')
      .orderBy('p.imported_at', 'ASC')
      .getMany();
    const queue: PlanToLaunch[] = [];
    for (const row of rows) {
      const base = { id: row.id, key: row.key, number: row.number, title: row.title, importedAt: row.importedAt, launchedAt: row.launchedAt };
      if (!row.launchedAt) {
        queue.push({ ...base, started: 0, total: this.plans.specsOf(row).length });
        continue;
      }
      if (await this.ended(row.key)) continue;
      const specs = this.plans.specsOf(await this.changes.inForce(row));
      const given = new Set(row.launchedAssignments);
      const started = specs.filter((s) => given.has(s.id)).length;
      if (started < specs.length) queue.push({ ...base, started, total: specs.length });
    }
    return queue;
  }

  /** A launched plan whose work is all closed (the plan was closed, or everything is done): nothing to give out any more. */
  private async ended(planKey: string): Promise<boolean> {
    const [row] = (await this.db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE lifecycle IN ('open', 'awaiting-approval'))::int AS open FROM assignments WHERE plan_key = $1`,
      [planKey],
    )) as { n: number; open: number }[];
    return row.n > 0 && row.open === 0;
  }
}
