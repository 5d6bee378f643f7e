import { describe, expect, it } from 'vitest';
import { parsePlanDefinition } from '@dieu-hanh/domain';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withExcerpts } from './plan-import.service';

const EXAMPLE = readFileSync(join(__dirname, '..', '..', '..', '..', '..', 'libs/domain/plans/soc-trang-example.plan.yaml'), 'utf8');

describe('withExcerpts: plan file problems against the lines of the file', () => {
  it('shows the line of a broken unit reference with its neighbours, the bad one marked', () => {
    const broken = EXAMPLE.replace('- { code: SO-NV, name: Sở Nội vụ, kind: department, parent: UBND-T }', '- { code: SO-NV, name: Sở Nội vụ, kind: department, parent: KHONG-CO }');
    expect(broken).not.toBe(EXAMPLE);
    const parsed = parsePlanDefinition(broken);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const [problem] = withExcerpts(broken, parsed.errors);
    const lineOfBroken = broken.split('\n').findIndex((l) => l.includes('KHONG-CO')) + 1;
    expect(problem.line).toBe(lineOfBroken);
    expect(problem.excerpt!.lines.map((l) => l.n)).toEqual([lineOfBroken - 2, lineOfBroken - 1, lineOfBroken, lineOfBroken + 1, lineOfBroken + 2]);
    expect(problem.excerpt!.lines.filter((l) => l.bad).map((l) => l.text)).toEqual([expect.stringContaining('KHONG-CO')]);
  });

  it('puts a YAML syntax error on its line, and problems with no line first', () => {
    const problems = withExcerpts('a: 1\nb: [\n', [
      { path: 'plan', message: 'x', line: 2 },
      { path: '', message: 'whole file' },
    ]);
    expect(problems.map((p) => p.line)).toEqual([undefined, 2]);
    expect(problems[1].excerpt!.lines.map((l) => [l.n, l.bad])).toEqual([[1, false], [2, true], [3, false]]);
  });
});
