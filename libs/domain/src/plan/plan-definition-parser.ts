import { IANAZone } from 'luxon';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { isIsoDate, type IsoDate } from '../calendar/iso-date';
import { createWorkingCalendar, type WorkingCalendar } from '../calendar/working-calendar';
import { isReportRhythm, nominalDate, parseDeadlineExpression, parseReportRhythm } from '../deadline/deadline-expression';
import { parsePeriodKey } from '../deadline/report-period-key';
import { checkPeriodKey } from '../deadline/report-rhythm';
import { parsePlanHorizon } from './plan-horizon';
import { lastReportPeriod, rhythmUnit } from './report-period';
import { codePointLabel, describeUnsafeCharacter, findUnsafeCharacter } from '../text/safe-text';
import { PlanDefinitionSchema, type PlanDefinition } from './plan-definition.schema';
import { assignmentId, expandUnitRefs, isPerTask, planKey, reportDutySlot, type UnitIndex } from './plan-references';

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
  const tooMuch = checkPlanText(text);
  if (tooMuch) return { ok: false, errors: [tooMuch] };
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
  // Depth and characters first: what a workflow or PostgreSQL cannot hold never reaches the checks below.
  const unholdable = checkPlanValues(raw);
  if (unholdable.length > 0) return { ok: false, problems: unholdable };
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

/** The largest plan file read, in characters (documented in docs/plan-format.md). */
export const PLAN_TEXT_MAX_LENGTH = 5_000_000;
/** Deepest nesting of a plan's values; real plans nest 5 levels (obligations[i].report.rhythm). */
export const PLAN_MAX_DEPTH = 32;
/**
 * Widest indentation of a line, counting compact "- " / "? " / ": " indicators: block nesting
 * costs at least one column per level, so this bounds what the YAML reader recurses through.
 */
export const PLAN_MAX_INDENT = 200;

/**
 * A cheap pass over the text before the YAML reader sees it: size, characters, and nesting
 * (flow brackets and indentation), so a file nested 100,000 deep is refused at once instead
 * of overflowing the reader's stack seconds later.
 */
function checkPlanText(text: string): PlanProblem | undefined {
  if (text.length > PLAN_TEXT_MAX_LENGTH) {
    return { path: '', message: `the file has ${text.length.toLocaleString('en')} characters; at most ${PLAN_TEXT_MAX_LENGTH.toLocaleString('en')} are read` };
  }
  let line = 1;
  let flowDepth = 0;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line++;
      atLineStart = true;
      continue;
    }
    if (atLineStart) {
      atLineStart = false;
      const indent = /[ \t]*(?:[-?:][ \t]+)*/y;
      indent.lastIndex = i;
      const width = indent.exec(text)?.[0].length ?? 0;
      if (width > PLAN_MAX_INDENT) return { path: '', line, message: `line ${line} is indented ${width} columns (nested too deeply); at most ${PLAN_MAX_INDENT} are read` };
    }
    if (c === 0x5b || c === 0x7b) {
      // A naive count (brackets inside quoted text count too): no real plan opens 32 brackets.
      if (++flowDepth > PLAN_MAX_DEPTH) return { path: '', line, message: `line ${line}: more than ${PLAN_MAX_DEPTH} nested [ or { (nested too deeply)` };
    } else if ((c === 0x5d || c === 0x7d) && flowDepth > 0) {
      flowDepth--;
    }
  }
  const unsafe = findUnsafeCharacter(text, { multiline: true });
  if (unsafe) {
    const before = text.slice(0, unsafe.index);
    const at = before.split('\n').length;
    return { path: '', line: at, message: `line ${at} ${describeUnsafeCharacter({ ...unsafe, index: unsafe.index - (before.lastIndexOf('\n') + 1) })}` };
  }
  return undefined;
}

/**
 * Every value of a parsed plan (YAML escapes such as "\0" or "\ud800" become characters only
 * after parsing): nesting at most PLAN_MAX_DEPTH, no control characters except tab and line
 * breaks, no lone surrogates, in keys or in strings. Iterative, so depth cannot overflow it.
 */
function checkPlanValues(raw: unknown): RawProblem[] {
  const problems: RawProblem[] = [];
  const stack: { value: unknown; path: PathSegment[] }[] = [{ value: raw, path: [] }];
  while (stack.length > 0 && problems.length < 20) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const unsafe = findUnsafeCharacter(value, { multiline: true });
      if (unsafe) problems.push({ path, message: describeUnsafeCharacter(unsafe) });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= PLAN_MAX_DEPTH) {
      problems.push({ path: path.slice(0, 3), message: `nested more than ${PLAN_MAX_DEPTH} levels deep` });
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const unsafe = findUnsafeCharacter(key, { multiline: false });
      if (unsafe) problems.push({ path, message: `the key "${key.replace(/[^\x20-\x7e\u00a0-\ud7ff]/g, '?')}" contains ${codePointLabel(unsafe.codePoint)}, which is not allowed in keys` });
      else stack.push({ value: item, path: [...path, key] });
    }
  }
  return problems;
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
    if (c !== undefined && !index.units.has(c)) index.units.set(c, { parent: str(r['parent']), validFrom: str(r['validFrom']), validTo: str(r['validTo']), successor: str(r['successor']) });
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
    const successor = str(r['successor']);
    if (successor !== undefined) {
      if (!index.units.has(successor)) add(['units', i, 'successor'], `unknown unit "${successor}"`);
      else if (successor === c) add(['units', i, 'successor'], `a unit cannot succeed itself`);
      else if (successorChain(index, r).cycle) add(['units', i, 'successor'], `cycle of successors: ${successorChain(index, r).chain.join(' → ')}`);
    }
    if ((successor !== undefined || r['endedBy'] !== undefined) && to === undefined) {
      add(['units', i, successor !== undefined ? 'successor' : 'endedBy'], 'a unit that ends needs validTo (its last day)');
    }
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
  const horizonText = str(plan['horizon']);
  const horizon = horizonText === undefined ? undefined : parsePlanHorizon(horizonText);
  if (horizon && !horizon.ok) add(['plan', 'horizon'], horizon.message);
  const horizonEnd = horizon?.ok ? horizon.horizon.to : undefined;
  if (horizonEnd !== undefined && planDateValid && horizonEnd < planDate) add(['plan', 'horizon'], `thời gian thực hiện kết thúc ${horizonEnd}, trước ngày ban hành ${planDate} / the horizon ends ${horizonEnd}, before the plan date ${planDate}`);
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
      const policy = str(r['escalation']);
      if (policy !== undefined && !policyCodes.has(policy)) add(['approvalChains', i, 'steps', j, 'escalation'], `unknown escalation policy "${policy}"`);
      if (r['deadline'] !== undefined && policy === undefined) add(['approvalChains', i, 'steps', j, 'escalation'], 'a step with a deadline needs an escalation policy');
    });
  });

  if (root['unitHeadReview'] !== undefined) {
    const head = rec(root['unitHeadReview']);
    const policy = str(head['escalation']);
    if (policy !== undefined && !policyCodes.has(policy)) add(['unitHeadReview', 'escalation'], `unknown escalation policy "${policy}"`);
    if (head['deadline'] !== undefined && policy === undefined) add(['unitHeadReview', 'escalation'], 'a step with a deadline needs an escalation policy');
    const step = str(head['step']) ?? 'lanh-dao-don-vi';
    arr(root['approvalChains']).forEach((c, i) => {
      arr(rec(c)['steps']).forEach((s, j) => {
        if (str(rec(s)['step']) === step) add(['unitHeadReview', 'step'], `step "${step}" is also a step of approvalChains[${i}] (steps[${j}]); give the unit head's step its own code`);
      });
    });
  }

  for (const [which, value] of Object.entries(rec(root['responseDeadlines']))) {
    const policy = str(rec(value)['escalation']);
    if (policy !== undefined && !policyCodes.has(policy)) add(['responseDeadlines', which, 'escalation'], `unknown escalation policy "${policy}"`);
  }

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
    const onDemand = r['onDemand'] === true;
    if (onDemand) {
      if (kind === 'monthly-report') add(at('onDemand'), 'một báo cáo định kỳ không thể "khi cần thiết" / a periodic report cannot be on demand');
      if (deadline !== undefined) add(at('deadline'), 'nghĩa vụ "khi cần thiết" không có thời hạn chung: đơn vị tự đặt ngày khi mở / an on-demand obligation has no deadline: each unit sets its own when it opens one');
    } else if (kind === 'monthly-report') {
      if (report === undefined) add(at('report'), 'a periodic report (monthly-report) obligation needs a report rhythm');
      if (deadline !== undefined) add(at('deadline'), 'a periodic report (monthly-report) obligation takes its deadlines from report.rhythm; remove deadline');
    } else if (kind !== undefined) {
      if (report !== undefined) add(at('report'), `only monthly-report obligations have a report rhythm, not ${kind}`);
      if (deadline === undefined) add(at('deadline'), 'a deadline is required');
    }
    if (deadline !== undefined) {
      const parsed = parseDeadlineExpression(deadline);
      if (!parsed.ok) {
        add(at('deadline'), parseReportRhythm(deadline).ok ? `"${deadline}" là nhịp báo cáo, không phải thời hạn: đặt vào report.rhythm của nghĩa vụ monthly-report / "${deadline}" is a report rhythm; put it in report.rhythm of a monthly-report obligation` : parsed.message);
      } else if (isReportRhythm(parsed.expression)) add(at('deadline'), `"${deadline}" is a monthly rhythm; put it in report.rhythm of a monthly-report obligation`);
      else if (parsed.expression.kind === 'working-days-after' && !events.has(parsed.expression.event)) {
        add(at('deadline'), `unknown event "${parsed.expression.event}" (declare it under events, or use "plan")`);
      } else if (planDateValid) {
        const nominal = nominalDate(parsed.expression, cal(), { events: Object.fromEntries(events) });
        if (nominal < planDate) add(at('deadline'), `deadline ${nominal} is before the plan date ${planDate}`);
      }
    }
    if (report !== undefined) checkReport(report, at, add, { planDate: planDateValid ? planDate : undefined, horizonEnd, calendar: cal });

    // On-demand obligations start nothing at launch: their ids carry the opening's own suffix.
    if (key !== undefined && kind !== undefined && !onDemand) {
      const leads = expandUnitRefs(leadRefs.filter((l): l is string => typeof l === 'string'), index);
      const perTask = isPerTask({ kind, perTask: typeof r['perTask'] === 'boolean' ? r['perTask'] : undefined });
      for (const lead of leads) {
        for (const task of perTask ? tasks : [undefined]) {
          const id = assignmentId(kind, key, task ?? reportDutySlot(r), lead);
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

/** The successors of a unit, in order, and whether they loop back. */
function successorChain(index: UnitIndex, unit: Record<string, unknown>): { chain: string[]; cycle: boolean } {
  const chain = [str(unit['code']) ?? '?'];
  let next = str(unit['successor']);
  while (next !== undefined && index.units.has(next)) {
    if (chain.includes(next)) return { chain: [...chain, next], cycle: true };
    chain.push(next);
    next = index.units.get(next)?.successor;
  }
  return { chain, cycle: false };
}

/**
 * `report` of a periodic duty: a rhythm the domain reads, periods written in the rhythm's own
 * length, an end not before the start, a first report not due before the plan date.
 */
function checkReport(
  report: Record<string, unknown>,
  at: (...rest: PathSegment[]) => PathSegment[],
  add: (path: PathSegment[], message: string) => void,
  context: { planDate?: IsoDate; horizonEnd?: IsoDate; calendar: () => WorkingCalendar },
): void {
  const rhythmText = str(report['rhythm']);
  if (rhythmText === undefined) return;
  const parsed = parseReportRhythm(rhythmText);
  if (!parsed.ok) {
    add(at('report', 'rhythm'), parsed.message);
    return;
  }
  const unit = rhythmUnit(parsed.rhythm);
  const firstPeriod = str(report['firstPeriod']);
  const lastPeriod = str(report['lastPeriod']);
  const until = str(report['until']);
  // A key of no shape at all is the schema's to report.
  const first = firstPeriod !== undefined && parsePeriodKey(firstPeriod) !== undefined ? firstPeriod : undefined;
  const firstProblem = first === undefined ? undefined : checkPeriodKey(first, unit);
  if (firstProblem) add(at('report', 'firstPeriod'), firstProblem);
  const lastProblem = lastPeriod === undefined ? undefined : checkPeriodKey(lastPeriod, unit);
  if (lastProblem) add(at('report', 'lastPeriod'), lastProblem);
  if (lastPeriod !== undefined && until !== undefined) add(at('report', 'until'), 'viết lastPeriod hoặc until, không cả hai / give lastPeriod or until, not both');
  if (first === undefined || firstProblem) return;
  const end = lastReportPeriod(unit, {
    lastPeriod: lastProblem ? undefined : lastPeriod,
    until: until !== undefined && isIsoDate(until) ? until : undefined,
    horizonEnd: context.horizonEnd,
  });
  if (end !== undefined && end < first) {
    const where = lastPeriod !== undefined ? at('report', 'lastPeriod') : until !== undefined ? at('report', 'until') : at('report', 'firstPeriod');
    const why = lastPeriod !== undefined ? `lastPeriod ${lastPeriod}` : until !== undefined ? `until ${until}` : `plan.horizon (${context.horizonEnd})`;
    add(where, `kỳ cuối ${end} (theo ${why}) trước kỳ đầu ${first} / the last period ${end} (from ${why}) is before the first, ${first}`);
  }
  if (context.planDate !== undefined) {
    const nominal = nominalDate(parsed.rhythm, context.calendar(), { period: first });
    if (nominal < context.planDate) add(at('report', 'firstPeriod'), `the first report would be due ${nominal}, before the plan date ${context.planDate}`);
  }
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
