import { Inject, Injectable } from '@nestjs/common';
import { parsePlanDefinition, type PlanProblem } from '@dieu-hanh/domain';
import { PlansService } from '../../plans/plans.service';
import type { CurrentUser } from '../../auth/current-user';
import type { PlanVersionEntity } from '@dieu-hanh/persistence';

/** A few lines of the file around a problem, for the page to show with their numbers. */
export interface SourceExcerpt {
  line: number;
  lines: { n: number; text: string; bad: boolean }[];
}

export interface ImportProblems {
  problems: (PlanProblem & { excerpt?: SourceExcerpt })[];
}

/** Lines shown before and after a problem's line. */
const AROUND = 2;

/**
 * The web import: the domain's parser says what is wrong and on which line (the API answers
 * the same checks as JSON fields); a good file is stored through PlansService like the API's.
 */
@Injectable()
export class PlanImportService {
  constructor(@Inject(PlansService) private readonly plans: PlansService) {}

  async import(user: CurrentUser, text: string): Promise<{ ok: true; plan: PlanVersionEntity; created: boolean } | ({ ok: false } & ImportProblems)> {
    const parsed = parsePlanDefinition(text);
    if (!parsed.ok) return { ok: false, problems: withExcerpts(text, parsed.errors) };
    const { plan, created } = await this.plans.import(text, user);
    return { ok: true, plan, created };
  }
}

/** Problems in file order (those with no line first), each with the lines around it. */
export function withExcerpts(text: string, problems: readonly PlanProblem[]): ImportProblems['problems'] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return [...problems]
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    .map((p) => {
      if (!p.line) return { ...p };
      const from = Math.max(1, p.line - AROUND);
      const to = Math.min(lines.length, p.line + AROUND);
      const excerpt: SourceExcerpt = { line: p.line, lines: [] };
      for (let n = from; n <= to; n++) excerpt.lines.push({ n, text: lines[n - 1].slice(0, 300), bad: n === p.line });
      return { ...p, excerpt };
    });
}
