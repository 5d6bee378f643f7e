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

describe('plan files that no workflow or database could hold', () => {
  const seed = () => read('plans', 'tra-vinh-2020.plan.yaml');
  const quickly = (text: string) => {
    const started = Date.now();
    const result = parsePlanDefinition(text);
    return { result, ms: Date.now() - started };
  };
  const firstMessage = (result: PlanParseResult) => (result.ok ? '(valid)' : result.errors[0].message);

  it('refuses a plan code of 10,000 characters (it would be a workflow id)', () => {
    const text = seed().replace(/^(\s+)code: TV-BTV-2020-NVTT-NVDP$/m, `$1code: ${'A'.repeat(10_000)}`);
    const result = parsePlanDefinition(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual(expect.objectContaining({ path: 'plan.code', message: 'codes have at most 64 characters' }));
  });

  it('refuses YAML nested 100,000 deep at once, in flow and in compact block style', () => {
    for (const text of ['a: ' + '['.repeat(100_000) + ']'.repeat(100_000), 'a:\n  ' + '- '.repeat(100_000) + 'x\n', '{a: '.repeat(100_000) + '}'.repeat(100_000)]) {
      const { result, ms } = quickly(text);
      expect(firstMessage(result)).toMatch(/nested too deeply/);
      expect(ms).toBeLessThan(1000);
    }
  });

  it('refuses block nesting deeper than the plan format goes', () => {
    const text = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
    expect(firstMessage(parsePlanDefinition(text))).toBe('nested more than 32 levels deep');
  });

  it('refuses a file longer than 5,000,000 characters without reading it', () => {
    const { result, ms } = quickly(`# ${'x'.repeat(5_000_000)}\n`);
    expect(firstMessage(result)).toBe('the file has 5,000,003 characters; at most 5,000,000 are read');
    expect(ms).toBeLessThan(1000);
  });

  it('refuses NUL and other control characters, raw or as YAML escapes, naming the line or the field', () => {
    const raw = parsePlanDefinition(seed().replace('name: Ngô Chí Cường', 'name: Ngô\u0000 Chí Cường'));
    expect(raw.ok).toBe(false);
    if (!raw.ok) expect(raw.errors[0]).toEqual(expect.objectContaining({ message: expect.stringMatching(/^line \d+ contains a control character \(U\+0000\)/) }));
    for (const escape of ['\\0', '\\x01', '\\e', '\\ud800']) {
      const text = seed().replace('name: Ngô Chí Cường', `name: "Ngô Chí Cường${escape}"`);
      const result = parsePlanDefinition(text);
      expect(result.ok, escape).toBe(false);
      if (!result.ok) expect(result.errors[0]).toEqual({ path: 'plan.signer.name', line: 21, message: expect.stringMatching(/contains (a control character|an unpaired surrogate)/) });
    }
  });

  it('applies the same checks to plans that arrive as JSON', () => {
    const result = validatePlanDefinition({ formatVersion: 1, plan: { title: 'a\u0000b' } });
    expect(result).toEqual({ ok: false, errors: [{ path: 'plan.title', message: 'contains a control character (U+0000) at position 2' }] });
  });

  it('still takes tabs and line breaks in free text', () => {
    const text = seed().replace('name: Ngô Chí Cường', 'name: "Ngô\\tChí\\r\\nCường"');
    expect(parsePlanDefinition(text).ok).toBe(true);
  });
});

describe('report rhythms and ends in a plan file', () => {
  const seed = () => read('plans', 'tra-vinh-2020.plan.yaml');
  const problems = (text: string) => {
    const result = parsePlanDefinition(text);
    if (result.ok) throw new Error('expected problems');
    return result.errors;
  };
  const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

  it('the seed marks its horizon as assumed and its monthly duties end with it', () => {
    const plan = expectPlan(parsePlanDefinition(seed()));
    expect(plan.plan.horizon).toBe('năm 2020');
    expect(plan.plan.horizonAssumed).toBe(true);
    for (const o of plan.obligations.filter((x) => x.kind === 'monthly-report')) expect(o.report?.endAssumed).toBe(true);
  });

  it('names the path and line of a rhythm it cannot read, in Vietnamese and English', () => {
    const text = seed().replace('      rhythm: cuối hằng tháng\n', '      rhythm: thỉnh thoảng khi rảnh\n');
    const [problem] = problems(text);
    expect(problem).toEqual({
      path: expect.stringMatching(/^obligations\[\d+\]\.report\.rhythm$/),
      line: lineOf(text, 'rhythm: thỉnh thoảng'),
      message: expect.stringMatching(/^không đọc được nhịp báo cáo "thỉnh thoảng khi rảnh".* \/ cannot read report rhythm/),
    });
  });

  it('refuses a period written in another length than the rhythm, an end before the start, and a rhythm given as a deadline', () => {
    const quarterly = seed().replace('      rhythm: cuối hằng tháng\n', '      rhythm: hằng quý, trước ngày 20 của tháng đầu quý sau\n');
    expect(problems(quarterly)).toContainEqual(
      expect.objectContaining({ path: expect.stringMatching(/report\.firstPeriod$/), message: expect.stringContaining('"2020-01" is not a quarterly period; write e.g. 2021-Q1') }),
    );
    const ended = seed().replace('      firstPeriod: 2020-01\n', '      firstPeriod: 2020-03\n      lastPeriod: 2020-02\n');
    expect(problems(ended)).toContainEqual(expect.objectContaining({ path: expect.stringMatching(/report\.lastPeriod$/), message: expect.stringContaining('the last period 2020-02') }));
    const afterHorizon = seed().replace('horizon: năm 2020', 'horizon: đến hết tháng 6/2019');
    expect(problems(afterHorizon)).toContainEqual(expect.objectContaining({ path: 'plan.horizon', message: expect.stringContaining('before the plan date') }));
    const badHorizon = seed().replace('horizon: năm 2020', 'horizon: lâu dài');
    expect(problems(badHorizon)).toContainEqual(expect.objectContaining({ path: 'plan.horizon', line: lineOf(badHorizon, 'horizon: lâu dài') }));
    const rhythmAsDeadline = seed().replace('deadline: cuối tháng 02/2020', 'deadline: hằng quý');
    expect(problems(rhythmAsDeadline)).toContainEqual(expect.objectContaining({ message: expect.stringContaining('is a report rhythm; put it in report.rhythm') }));
  });

  it('refuses two periodic duties of one unit that would share an id, and takes them when their rhythms differ', () => {
    const twice = seed().replace(/( {2}- id: III\.6-BTC\n(?:.*\n)*? {4}text: >-\n.*\n)/, '$1$1'.replace(/III\.6-BTC/g, 'III.6-BTC'));
    expect(problems(twice.replace(/- id: III\.6-BTC\n/, '- id: III.6-BTC-2\n'))).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining('assignment "monthly-report:TV-BTV-2020-NVTT-NVDP:-:BTC-TU" is also produced') }),
    );
    const quarterlyToo = twice.replace(/- id: III\.6-BTC\n/, '- id: III.6-BTC-Q\n').replace(/(- id: III\.6-BTC-Q\n(?:.*\n)*? {6}rhythm: )cuối hằng tháng\n( {6}firstPeriod: )2020-01/, '$1hằng quý\n$22020-Q1');
    expectPlan(parsePlanDefinition(quarterlyToo));
  });
});

describe('obligations available when needed (khi cần thiết)', () => {
  it('take no common deadline, and cannot be periodic reports', () => {
    const seed = read('plans', 'tra-vinh-2020.plan.yaml');
    const withDeadline = seed.replace('    onDemand: true\n', '    onDemand: true\n    deadline: cuối tháng 12/2020\n');
    const result = parsePlanDefinition(withDeadline);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual(expect.objectContaining({ path: expect.stringMatching(/^obligations\[\d+\]\.deadline$/), message: expect.stringContaining('an on-demand obligation has no deadline') }));
    const periodic = parsePlanDefinition(seed.replace('      rhythmAssumed: true\n      endAssumed: true\n', '      rhythmAssumed: true\n      endAssumed: true\n    onDemand: true\n'));
    expect(periodic.ok).toBe(false);
    if (!periodic.ok) expect(periodic.errors).toContainEqual(expect.objectContaining({ message: expect.stringContaining('a periodic report cannot be on demand') }));
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
