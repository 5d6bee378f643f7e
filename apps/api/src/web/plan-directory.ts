import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PlanDefinition } from '@dieu-hanh/domain';
import { PlanVersionEntity } from '@dieu-hanh/persistence';

export interface PlanInfo {
  id: string;
  key: string;
  title: string;
  number: string;
  launchedAt: Date | null;
  /** Units in the plan file's order, with names to show instead of codes. */
  units: { code: string; name: string; shortName: string }[];
  tasks: { code: string; kind: string; number: number; text: string }[];
  unitName(code: string): string;
  taskLabel(code: string): string;
  /** The plan's escalation ladders: level N is the Nth step. */
  ladders: { code: string; label: string; steps: { level: number; afterWorkingDays?: number; afterSeconds?: number; notify: string[] }[] }[];
}

/**
 * Names of a plan version's units and tasks, for pages that would otherwise show codes.
 * Plan versions never change once imported, so each is read once and kept.
 */
@Injectable()
export class PlanDirectory {
  private readonly byKey = new Map<string, PlanInfo>();

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async ofKey(key: string): Promise<PlanInfo | undefined> {
    const cached = this.byKey.get(key);
    if (cached) return cached;
    const row = await this.db.getRepository(PlanVersionEntity).findOneBy({ key });
    return row ? this.remember(row) : undefined;
  }

  remember(row: PlanVersionEntity): PlanInfo {
    const definition = row.definition as PlanDefinition;
    const units = definition.units.map((u) => ({ code: u.code, name: u.name, shortName: u.shortName ?? u.name }));
    const names = new Map(units.map((u) => [u.code, u.name]));
    const tasks = definition.tasks.map((task) => ({ code: task.code, kind: task.kind, number: task.number, text: task.text }));
    const info: PlanInfo = {
      id: row.id,
      key: row.key,
      title: row.title,
      number: row.number,
      launchedAt: row.launchedAt,
      units,
      tasks,
      ladders: definition.escalationPolicies.map((p) => ({
        code: p.code,
        label: p.label ?? p.code,
        steps: p.ladder.map((step, i) => ({ level: i + 1, afterWorkingDays: step.afterWorkingDays, afterSeconds: step.afterSeconds, notify: [...step.notify] })),
      })),
      unitName: (code) => names.get(code) ?? code,
      taskLabel: (code) => {
        const task = tasks.find((x) => x.code === code);
        return task ? `${code}. ${task.text}` : code;
      },
    };
    // launchedAt changes once; keep only launched versions so a later launch is seen.
    if (row.launchedAt) this.byKey.set(row.key, info);
    return info;
  }
}
