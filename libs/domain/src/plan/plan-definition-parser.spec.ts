import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlanDefinition, validatePlanDefinition, type PlanParseResult } from './plan-definition-parser';
import { planDefinitionJsonSchema, type PlanDefinition } from './plan-definition.schema';

const domainRoot = join(__dirname, '..', '..');
const read = (...parts: string[]) => readFileSync(join(domainRoot, ...parts), 'utf8');
// The source document is kept beside the plan file that encodes it.
const seedText = () => read('plans', 'source', 'ke-hoach-06-nhiem-vu-tap-trung-03-dot-pha-2020.txt');

function expectPlan(result: PlanParseResult): PlanDefinition {
  if (!result.ok) throw new Error(`expected a valid plan, got:\n${result.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  return result.plan;
}

describe('the Trà Vinh 2020 seed plan', () => {
  const plan = expectPlan(parsePlanDefinition(read('plans', 'tra-vinh-2020.plan.yaml')));

  it('validates, with its placeholders marked as assumed', () => {
    expect(plan.formatVersion).toBe(1);
    expect(plan.plan.numberAssumed).toBe(true);
    expect(plan.plan.dateAssumed).toBe(true);
    expect(plan.plan.signer).toEqual({ name: 'Ngô Chí Cường', position: 'Phó Bí thư', onBehalfOf: 'T/M Ban Thường vụ' });
    expect(plan.plan.replaces).toEqual([{ number: '75-KH/TU', date: '2018-01-08', issuedBy: 'BTV-TU' }]);
  });

  it('has the 6 focus and 3 breakthrough tasks', () => {
    expect(plan.tasks.map((t) => t.code)).toEqual(['FT1', 'FT2', 'FT3', 'FT4', 'FT5', 'FT6', 'BT1', 'BT2', 'BT3']);
  });

  it('quotes every task text verbatim from the seed document', () => {
    const seed = seedText().replace(/\s+/g, ' ');
    for (const t of plan.tasks) expect(seed).toContain(`(${t.number})- ${t.text}`);
  });

  it('lists II.2.a items (1)–(7) and II.2.b items (1)–(2) as the tasks they repeat', () => {
    const items = (id: string) => {
      const o = plan.obligations.find((x) => x.id === id);
      if (!o) throw new Error(id);
      return o.tasks.map((code, i) => {
        const task = plan.tasks.find((t) => t.code === code);
        return { i: i + 1, text: task?.text ?? '', section: o.text };
      });
    };
    const a = items('II.2.a');
    expect(a).toHaveLength(7);
    for (const { i, text, section } of a) expect(section).toContain(`(${i}) ${text}`);
    const b = items('II.2.b');
    expect(b).toHaveLength(2);
    for (const { i, text, section } of b) expect(section).toContain(`(${i}) ${text}`);
  });

  it('carries every paragraph of III.1 to III.6 and the recipients', () => {
    const texts = plan.obligations.map((o) => o.text).join('\n');
    for (const start of ['Căn cứ Kế hoạch này', 'Đối với những nhiệm vụ', 'Căn cứ kế hoạch của Ban Thường vụ', 'Các cơ quan, đơn vị, địa phương', 'Ban Tuyên giáo Tỉnh ủy nghiên cứu', 'Quá trình thực hiện']) {
      expect(texts).toContain(start);
    }
    expect(new Set(plan.obligations.map((o) => o.section.split(';').map((s) => s.trim())).flat())).toEqual(
      new Set(['II.2.a', 'II.2.b', 'III.1', 'III.2', 'III.3', 'III.4', 'III.5', 'III.6']),
    );
    expect(plan.recipients.map((r) => r.text)).toEqual([
      'Thường trực Tỉnh ủy,',
      'Ban cán sự đảng UBND tỉnh,',
      'Các cơ quan tham mưu, giúp việc Tỉnh ủy,',
      'Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy,',
      'Các đồng chí UV BCH Đảng bộ tỉnh,',
      'Lưu VPTU.',
    ]);
  });

  it('has the 2020 organisation: 9 district-level committees, the direct-under committees, boards, departments, mass organisations', () => {
    const byKind = (kind: string) => plan.units.filter((u) => u.kind === kind).map((u) => u.shortName ?? u.name);
    expect(byKind('district-party-committee')).toEqual([
      'Thành phố Trà Vinh',
      'Thị xã Duyên Hải',
      'Càng Long',
      'Cầu Kè',
      'Tiểu Cần',
      'Châu Thành',
      'Cầu Ngang',
      'Trà Cú',
      'huyện Duyên Hải',
    ]);
    expect(byKind('direct-party-committee')).toHaveLength(4);
    expect(byKind('mass-organisation')).toHaveLength(6);
    expect(byKind('department').length).toBeGreaterThanOrEqual(16);
    for (const code of ['BTV-TU', 'TT-TU', 'BTC-TU', 'BTG-TU', 'BDV-TU', 'UBKT-TU', 'BNC-TU', 'VP-TU', 'BCSD-UBND']) {
      expect(plan.units.some((u) => u.code === code)).toBe(true);
    }
  });
});

describe('another province', () => {
  it('validates the Sóc Trăng example without code change', () => {
    const plan = expectPlan(parsePlanDefinition(read('plans', 'soc-trang-example.plan.yaml')));
    expect(plan.plan.code).toBe('ST-BTV-2021-CDS-VD');
  });
});

describe('broken plan files', () => {
  const dir = join(domainRoot, 'test', 'fixtures', 'broken');
  const files = readdirSync(dir).filter((f) => f.endsWith('.plan.yaml'));

  it('covers every required kind of mistake', () => {
    expect(files.map((f) => f.replace('.plan.yaml', ''))).toEqual(
      expect.arrayContaining([
        'unknown-key',
        'duplicate-codes',
        'unit-tree-cycle',
        'deadline-before-plan-date',
        'task-not-assigned',
        'unknown-unit',
        'bad-deadline-expression',
        'yaml-syntax-error',
      ]),
    );
  });

  it('the fixtures are the minimal valid plan with one thing wrong', () => {
    expectPlan(parsePlanDefinition(read('test', 'fixtures', 'minimal-valid.plan.yaml')));
  });

  it.each(files)('%s: answers every expected problem with its path, and no plan', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const expected = [...text.matchAll(/^# expect: (.*?) :: (.*)$/gm)].map((m) => ({ path: m[1], message: m[2] }));
    expect(expected.length).toBeGreaterThan(0);
    const result = parsePlanDefinition(text);
    expect(result.ok).toBe(false);
    expect('plan' in result).toBe(false);
    if (result.ok) return;
    for (const e of expected) {
      expect(result.errors, `${file}: ${e.path}: ${e.message}`).toContainEqual(expect.objectContaining({ path: e.path, message: expect.stringContaining(e.message) }));
    }
  });

  it('points at the line of the problem', () => {
    const result = parsePlanDefinition(readFileSync(join(dir, 'unknown-unit.plan.yaml'), 'utf8'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.errors.find((e) => e.path === 'obligations[0].lead');
    expect(problem?.line).toBeGreaterThan(20);
  });

  it('refuses work for a unit that is not in force on the plan date, and mixed offset forms', () => {
    const text = read('test', 'fixtures', 'minimal-valid.plan.yaml')
      .replace('{ code: BTCTU, name: Ban Tổ chức Tỉnh ủy, kind: party-body, parent: BTV }', '{ code: BTCTU, name: Ban Tổ chức Tỉnh ủy, kind: party-body, parent: BTV, validTo: 2019-12-31 }')
      .replace('[{ afterWorkingDays: 0, notify: [lead-unit-head] }]', '[{ afterWorkingDays: 0, afterSeconds: 5, notify: [lead-unit-head] }]');
    const result = parsePlanDefinition(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { path: 'obligations[0].lead', message: 'unit "BTCTU" is not in force on the plan date 2020-01-02', line: expect.any(Number) },
        expect.objectContaining({ path: 'escalationPolicies[0].ladder[0]', message: expect.stringContaining('exactly one of afterWorkingDays, afterSeconds') }),
      ]),
    );
  });

  it('answers an empty file with a problem, not an exception', () => {
    expect(parsePlanDefinition('')).toEqual({ ok: false, errors: [expect.objectContaining({ path: '' })] });
  });

  it('validates plans that arrive as JSON too', () => {
    const result = validatePlanDefinition({ formatVersion: 2 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['formatVersion', 'plan', 'tasks', 'units', 'obligations']));
  });
});

describe('the published JSON Schema', () => {
  it('is the committed plans/plan-definition.schema.json, regenerated from the zod schema', () => {
    const file = join(domainRoot, 'plans', 'plan-definition.schema.json');
    // After a schema change: UPDATE_PLAN_SCHEMA=1 npx vitest run --project unit libs/domain
    if (process.env['UPDATE_PLAN_SCHEMA']) writeFileSync(file, `${JSON.stringify(planDefinitionJsonSchema, null, 2)}\n`);
    const committed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    expect(committed).toEqual(planDefinitionJsonSchema);
  });

  it('rejects unknown keys everywhere', () => {
    expect(planDefinitionJsonSchema['additionalProperties']).toBe(false);
  });
});
