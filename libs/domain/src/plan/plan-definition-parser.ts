import { IANAZone } from 'luxon';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { isIsoDate, isYearMonth, type IsoDate } from '../calendar/iso-date';
import { createWorkingCalendar, type WorkingCalendar } from '../calendar/working-calendar';
import { isReportRhythm, nominalDate, parseDeadlineExpression } from '../deadline/deadline-expression';
import { PlanDefinitionSchema, type PlanDefinition } from './plan-definition.schema';
import { assignmentId, expandUnitRefs, isPerTask, planKey, type UnitIndex } from './plan-references';

/** One thing wrong with a plan file. `path` is e.g. `obligations[3].lead`; `''` for the whole file. */
export interface PlanProblem {
  path: string;
  message: string;
  /** 1-based line in the YAML text, when known. */
  line?: number;
}

export type PlanParseResult = { ok: true; plan: PlanDefinition } | { ok: false; errors: PlanProblem[] };

export interface PlanParseOptions {
  /** Calendar for working-day deadlines in the "before the plan date" check; the default VN calendar otherwise. */
  calendar?: WorkingCalendar;
}

type PathSegment = string | number;
interface RawProblem {
  path: PathSegment[];
  message: string;
}

export function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/**
 * Reads a plan file (YAML). Answers either the whole plan or every problem found — YAML
 * syntax, shape (unknown keys, wrong types) and meaning (unknown or duplicate codes, unit-tree
 * cycles, deadlines before the plan date, tasks nobody is assigned) — each with its path.
 */
export function parsePlanDefinition(text: string, options: PlanParseOptions = {}): PlanParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const line = e.linePos?.[0]?.line;
        // prettyErrors appends "at line L, column C:" and a code excerpt; keep the first line.
        const message = e.message.split('\n')[0].replace(/:\s*$/, '');
        return { path: '', message: `YAML syntax error: ${message}`, ...(line ? { line } : {}) };
      }),
    };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, errors: [{ path: '', message: `YAML: ${(e as Error).message}` }] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, errors: [{ path: '', message: 'the file is empty or is not a YAML mapping (expected formatVersion, plan, tasks, …)' }] };
  }
  const result = validate(raw, options);
  if (result.ok) return result;
  return {
    ok: false,
    errors: result.problems.map((p) => {
      const problem: PlanProblem = { path: formatPath(p.path), message: p.message };
      const node = p.path.length > 0 ? doc.getIn(p.path, true) : undefined;
      const offset = node !== null && typeof node === 'object' && 'range' in node ? (node as { range?: [number, number, number] }).range?.[0] : undefined;
      return offset === undefined ? problem : { ...problem, line: lineCounter.linePos(offset).line };
    }),
  };
}

/** The same checks for a plan already parsed from JSON (e.g. an API upload). */
export function validatePlanDefinition(raw: unknown, options: PlanParseOptions = {}): PlanParseResult {
  const result = validate(raw, options);
  return result.ok ? result : { ok: false, errors: result.problems.map((p) => ({ path: formatPath(p.path), message: p.message })) };
}

function validate(raw: unknown, options: PlanParseOptions): { ok: true; plan: PlanDefinition } | { ok: false; problems: RawProblem[] } {
  const problems: RawProblem[] = [];
  const shape = PlanDefinitionSchema.safeParse(raw);
  if (!shape.success) problems.push(...shape.error.issues.flatMap(fromZodIssue));
  problems.push(...checkMeaning(raw, options));
  if (problems.length === 0 && shape.success) return { ok: true, plan: shape.data };
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${formatPath(p.path)}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ok: false, problems: unique };
}

function fromZodIssue(issue: z.core.$ZodIssue): RawProblem[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => ({ path: [...path, k], message: `unknown key "${k}"` }));
  return [{ path, message: issue.message }];
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function checkMeaning(raw: unknown, options: PlanParseOptions): RawProblem[] {
  const problems: RawProblem[] = [];
  const add = (path: PathSegment[], message: string) => problems.push({ path, message });
  const root = rec(raw);
  const plan = rec(root['plan']);
  const planDate = str(plan['date']);
  const planDateValid = planDate !== undefined && isIsoDate(planDate);
  let calendar = options.calendar;
  const cal = () => (calendar ??= createWorkingCalendar());

  // Codes must be unique within their list; units and groups share one namespace
  // because obligations refer to either by the same field.
  const firstSeen = (list: string, field: string, namespace: Map<string, string>) =>
    arr(root[list]).forEach((item, i) => {
      const c = str(rec(item)[field]);
      if (c === undefined) return;
      const where = `${list}[${i}]`;
      const previous = namespace.get(c);
      if (previous !== undefined) add([list, i, field], `duplicate code "${c}" (already used by ${previous})`);
      else namespace.set(c, where);
    });
  const unitNamespace = new Map<string, string>();
  firstSeen('units', 'code', unitNamespace);
  firstSeen('unitGroups', 'code', unitNamespace);
  firstSeen('tasks', 'code', new Map());
  firstSeen('obligations', 'id', new Map());
  firstSeen('events', 'code', new Map());
  firstSeen('approvalChains', 'code', new Map());
  firstSeen('escalationPolicies', 'code', new Map());

  const index: UnitIndex = { units: new Map(), groups: new Map() };
  for (const u of arr(root['units'])) {
    const r = rec(u);
    const c = str(r['code']);
    if (c !== undefined && !index.units.has(c)) index.units.set(c, { parent: str(r['parent']), validFrom: str(r['validFrom']), validTo: str(r['validTo']) });
  }
  for (const g of arr(root['unitGroups'])) {
    const r = rec(g);
    const c = str(r['code']);
    if (c !== undefined && !index.units.has(c) && !index.groups.has(c)) index.groups.set(c, arr(r['members']).filter((m): m is string => typeof m === 'string'));
  }
  const inForce = (unit: string): boolean => {
    const u = index.units.get(unit);
    if (!u || !planDateValid) return true;
    return (u.validFrom === undefined || u.validFrom <= planDate) && (u.validTo === undefined || u.validTo >= planDate);
  };
  const checkUnit = (path: PathSegment[], value: unknown, allowGroup: boolean) => {
    const c = str(value);
    if (c === undefined) return;
    if (index.units.has(c)) {
      if (!inForce(c)) add(path, `unit "${c}" is not in force on the plan date ${planDate}`);
      return;
    }
    if (index.groups.has(c)) {
      if (!allowGroup) add(path, `"${c}" is a unit group; a single unit is needed here`);
      else for (const m of expandUnitRefs([c], index)) if (!inForce(m)) add(path, `unit "${m}" (in group "${c}") is not in force on the plan date ${planDate}`);
      return;
    }
    add(path, `unknown unit "${c}"`);
  };

  // Units: parents, validity, and a tree without cycles.
  const units = arr(root['units']);
  const reportedCycle = new Set<string>();
  units.forEach((u, i) => {
    const r = rec(u);
    const c = str(r['code']);
    const parent = str(r['parent']);
    if (parent !== undefined && !index.units.has(parent)) add(['units', i, 'parent'], `unknown unit "${parent}"`);
    const from = str(r['validFrom']);
    const to = str(r['validTo']);
    if (from && to && from > to) add(['units', i, 'validTo'], `validTo ${to} is before validFrom ${from}`);
    if (c === undefined || reportedCycle.has(c)) return;
    const chain = [c];
    let next = index.units.get(c)?.parent;
    while (next !== undefined && index.units.has(next) && !chain.includes(next)) {
      chain.push(next);
      next = index.units.get(next)?.parent;
    }
    if (next !== undefined && next === c) {
      chain.forEach((m) => reportedCycle.add(m));
      add(['units', i, 'parent'], `cycle in the unit tree: ${[...chain, c].join(' → ')}`);
    }
  });

  arr(root['unitGroups']).forEach((g, i) => {
    const r = rec(g);
    arr(r['members']).forEach((m, j) => {
      const c = str(m);
      if (c !== undefined && !index.units.has(c) && !index.groups.has(c)) add(['unitGroups', i, 'members', j], `unknown unit "${c}"`);
    });
    const c = str(r['code']);
    if (c !== undefined && groupContains(index, c, c)) add(['unitGroups', i, 'members'], `group "${c}" contains itself`);
  });

  checkUnit(['plan', 'issuedBy'], plan['issuedBy'], false);
  checkUnit(['plan', 'standingOffice'], plan['standingOffice'], false);
  checkUnit(['plan', 'standingCommittee'], plan['standingCommittee'], false);
  const tz = str(plan['timeZone']);
  if (tz !== undefined && !IANAZone.isValidZone(tz)) add(['plan', 'timeZone'], `unknown time zone "${tz}"`);

  const taskCodes = new Set(arr(root['tasks']).map((t) => str(rec(t)['code'])).filter((c): c is string => c !== undefined));
  const taskNumbers = new Map<string, number>();
  arr(root['tasks']).forEach((t, i) => {
    const r = rec(t);
    const key = `${String(r['kind'])}#${String(r['number'])}`;
    if (taskNumbers.has(key)) add(['tasks', i, 'number'], `${String(r['kind'])} task number ${String(r['number'])} is used twice (also tasks[${taskNumbers.get(key)}])`);
    else taskNumbers.set(key, i);
  });
  const chainCodes = new Set(arr(root['approvalChains']).map((c) => str(rec(c)['code'])));
  const policyCodes = new Set(arr(root['escalationPolicies']).map((c) => str(rec(c)['code'])));
  const events = new Map<string, IsoDate>();
  if (planDateValid) events.set('plan', planDate);
  for (const e of arr(root['events'])) {
    const r = rec(e);
    const c = str(r['code']);
    const d = str(r['date']);
    if (c !== undefined && d !== undefined && isIsoDate(d)) events.set(c, d);
  }
  arr(root['events']).forEach((e, i) => {
    if (str(rec(e)['code']) === 'plan') add(['events', i, 'code'], '"plan" is reserved for the plan date');
  });

  arr(root['approvalChains']).forEach((c, i) => {
    const steps = new Set<string>();
    arr(rec(c)['steps']).forEach((s, j) => {
      const r = rec(s);
      checkUnit(['approvalChains', i, 'steps', j, 'unit'], r['unit'], false);
      const step = str(r['step']);
      if (step !== undefined && steps.has(step)) add(['approvalChains', i, 'steps', j, 'step'], `duplicate step "${step}"`);
      if (step !== undefined) steps.add(step);
    });
  });

  const assigned = new Set<string>();
  const ids = new Map<string, number>();
  const key = str(plan['code']) !== undefined && str(plan['number']) !== undefined
    ? planKey({ code: str(plan['code']) as string, number: str(plan['number']) as string, numberAssumed: plan['numberAssumed'] === true })
    : undefined;
  arr(root['obligations']).forEach((o, i) => {
    const r = rec(o);
    const at = (...rest: PathSegment[]): PathSegment[] => ['obligations', i, ...rest];
    const kind = str(r['kind']);
    const leadRefs = typeof r['lead'] === 'string' ? [r['lead']] : arr(r['lead']);
    if (typeof r['lead'] === 'string') checkUnit(at('lead'), r['lead'], true);
    else leadRefs.forEach((l, j) => checkUnit(at('lead', j), l, true));
    arr(r['coordinating']).forEach((c, j) => checkUnit(at('coordinating', j), c, true));
    if (r['submitTo'] !== undefined) checkUnit(at('submitTo'), r['submitTo'], false);
    const tasks = arr(r['tasks']).filter((t): t is string => typeof t === 'string');
    arr(r['tasks']).forEach((t, j) => {
      const c = str(t);
      if (c === undefined) return;
      if (!taskCodes.has(c)) add(at('tasks', j), `unknown task "${c}"`);
      assigned.add(c);
    });
    const chain = str(r['approvalChain']);
    if (chain !== undefined && !chainCodes.has(chain)) add(at('approvalChain'), `unknown approval chain "${chain}"`);
    if (chain === undefined && kind === 'drafting') add(at('approvalChain'), 'a drafting obligation needs an approval chain');
    const policy = str(r['escalation']);
    if (policy !== undefined && !policyCodes.has(policy)) add(at('escalation'), `unknown escalation policy "${policy}"`);

    const deadline = str(r['deadline']);
    const report = r['report'] === undefined ? undefined : rec(r['report']);
    if (kind === 'monthly-report') {
      if (report === undefined) add(at('report'), 'a monthly-report obligation needs a report rhythm');
      if (deadline !== undefined) add(at('deadline'), 'a monthly-report obligation takes its deadlines from report.rhythm; remove deadline');
    } else if (kind !== undefined) {
      if (report !== undefined) add(at('report'), `only monthly-report obligations have a report rhythm, not ${kind}`);
      if (deadline === undefined) add(at('deadline'), 'a deadline is required');
    }
    if (deadline !== undefined) {
      const parsed = parseDeadlineExpression(deadline);
      if (!parsed.ok) add(at('deadline'), parsed.message);
      else if (isReportRhythm(parsed.expression)) add(at('deadline'), `"${deadline}" is a monthly rhythm; put it in report.rhythm of a monthly-report obligation`);
      else if (parsed.expression.kind === 'working-days-after' && !events.has(parsed.expression.event)) {
        add(at('deadline'), `unknown event "${parsed.expression.event}" (declare it under events, or use "plan")`);
      } else if (planDateValid) {
        const nominal = nominalDate(parsed.expression, cal(), { events: Object.fromEntries(events) });
        if (nominal < planDate) add(at('deadline'), `deadline ${nominal} is before the plan date ${planDate}`);
      }
    }
    if (report !== undefined) {
      const rhythm = str(report['rhythm']);
      const firstPeriod = str(report['firstPeriod']);
      if (rhythm !== undefined) {
        const parsed = parseDeadlineExpression(rhythm);
        if (!parsed.ok) add(at('report', 'rhythm'), parsed.message);
        else if (!isReportRhythm(parsed.expression)) add(at('report', 'rhythm'), `"${rhythm}" is a one-off deadline, not a monthly rhythm`);
        else if (planDateValid && firstPeriod !== undefined && isYearMonth(firstPeriod)) {
          const nominal = nominalDate(parsed.expression, cal(), { period: firstPeriod });
          if (nominal < planDate) add(at('report', 'firstPeriod'), `the first report would be due ${nominal}, before the plan date ${planDate}`);
        }
      }
    }

    if (key !== undefined && kind !== undefined) {
      const leads = expandUnitRefs(leadRefs.filter((l): l is string => typeof l === 'string'), index);
      const perTask = isPerTask({ kind, perTask: typeof r['perTask'] === 'boolean' ? r['perTask'] : undefined });
      for (const lead of leads) {
        for (const task of perTask ? tasks : [undefined]) {
          const id = assignmentId(kind, key, task, lead);
          const other = ids.get(id);
          if (other !== undefined && other !== i) add(at(), `assignment "${id}" is also produced by obligations[${other}]`);
          else ids.set(id, i);
        }
      }
    }
  });

  arr(root['tasks']).forEach((t, i) => {
    const c = str(rec(t)['code']);
    if (c !== undefined && !assigned.has(c)) add(['tasks', i], `task "${c}" is not assigned to anyone: no obligation lists it`);
  });
  arr(root['recipients']).forEach((rcp, i) => arr(rec(rcp)['units']).forEach((u, j) => checkUnit(['recipients', i, 'units', j], u, true)));
  return problems;
}

function groupContains(index: UnitIndex, group: string, target: string, seen = new Set<string>()): boolean {
  for (const m of index.groups.get(group) ?? []) {
    if (m === target) return true;
    if (index.groups.has(m) && !seen.has(m)) {
      seen.add(m);
      if (groupContains(index, m, target, seen)) return true;
    }
  }
  return false;
}
