import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { createWorkingCalendar, expandPlan, parsePlanDefinition, type PlanDefinition } from '@dieu-hanh/domain';
import type { AssignmentSpec } from '@dieu-hanh/domain/assignment';

const SEED = path.join(__dirname, '..', '..', 'libs/domain/plans/tra-vinh-2020.plan.yaml');
const localDate = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(d);

export type FaultsSize = 'small' | 'full';

export interface FaultPlan {
  text: string;
  plan: PlanDefinition;
  /** What the plan expands to under the key `probe` (ids with ':probe:'). */
  specs: AssignmentSpec[];
}

interface Obligation {
  id: string;
  kind: string;
  lead: string | string[];
  tasks: string[];
  deadline?: string;
  escalation: string;
  approvalChain?: string;
  submitTo?: string;
  report?: { firstPeriod: string };
  section?: string;
  text: string;
  deadlineAssumed?: boolean;
  onDemand?: boolean;
}

/**
 * The seed plan made into a test plan with timers that fire during the suite: every deadline
 * today (local), escalation policies in seconds counted back from that deadline so reminders
 * fire from ~40 s after launch on, approval steps with short SLAs, and extra obligations so at
 * least 100 assignments run (`full`: about 220).
 */
export function faultPlan(size: FaultsSize, now = new Date()): FaultPlan {
  const seed = parse(readFileSync(SEED, 'utf8')) as {
    plan: { code: string; horizon?: string };
    approvalChains: { steps: { slaSeconds?: number }[] }[];
    escalationPolicies: Record<string, unknown>[];
    obligations: Obligation[];
  };
  // Near local midnight, today's deadline would pass mid-run: use tomorrow's then.
  const dueDay = localDate(new Date(now.getTime() + 60 * 60 * 1000));
  seed.plan.code = `FAULTS-${randomUUID().slice(0, 8).toUpperCase()}`;
  // Reports from this month on: the seed's assumed horizon (năm 2020) would end them before they start.
  delete seed.plan.horizon;
  seed.approvalChains[0]!.steps.forEach((s, i) => (s.slaSeconds = 90 + 30 * i));
  seed.approvalChains[1]!.steps.forEach((s, i) => (s.slaSeconds = 120 + 30 * i));
  for (const o of seed.obligations) {
    // III.4 is opened by units when needed in the seed; here every unit it names gets one, as
    // before, so over 100 assignments are in flight and every fault phase has people acting.
    if (o.onDemand) {
      delete o.onDemand;
      o.deadline = dueDay;
    }
    if (o.deadline) o.deadline = dueDay;
    if (o.report) o.report.firstPeriod = dueDay.slice(0, 7);
  }
  const extra = (o: Omit<Obligation, 'text' | 'section'>): Obligation => ({ ...o, section: 'FAULTS', text: `Nghĩa vụ thử nghiệm ${o.id}.` });
  seed.obligations.push(
    extra({ id: 'F-DRAFT', kind: 'drafting', lead: 'HUYEN-UY', tasks: ['FT1'], deadline: dueDay, submitTo: 'BTV-TU', approvalChain: 'ke-hoach-chi-tiet', escalation: 'tieu-chuan' }),
    extra({ id: 'F-REVIEW', kind: 'review', lead: 'SO-BAN-NGANH', tasks: ['FT2'], deadline: dueDay, submitTo: 'BTV-TU', escalation: 'tieu-chuan' }),
    // Enough work that the last phase (API restart) still has people acting.
    extra({ id: 'F-REVIEW-ALL', kind: 'review', lead: ['HUYEN-UY', 'DU-TRUC-THUOC', 'MTTQ-DOAN-THE'], tasks: ['FT5'], deadline: dueDay, submitTo: 'BTV-TU', escalation: 'thuong-xuyen' }),
  );
  if (size === 'full') {
    seed.obligations.push(
      extra({ id: 'F-DRAFT-ALL', kind: 'drafting', lead: 'SO-BAN-NGANH', tasks: ['FT3', 'FT4'], deadline: dueDay, submitTo: 'BTV-TU', approvalChain: 'ke-hoach-chi-tiet', escalation: 'tieu-chuan' }),
    );
  }

  // Seconds from now to the deadline instant, read from the expansion itself (the effective
  // date may move past a weekend or holiday).
  const probe = parsePlanDefinition(stringify(seed));
  if (!probe.ok) throw new Error(`fault plan invalid: ${JSON.stringify(probe.errors)}`);
  const first = expandPlan(probe.plan, createWorkingCalendar(), { planId: 'probe' }).find((s) => s.kind !== 'monthly-report')!;
  const untilDue = Math.floor((Date.parse(first.deadline.dueAt) - now.getTime()) / 1000);
  const before = (fromNow: number) => ({ beforeSeconds: Math.max(1, untilDue - fromNow) });
  // tieu-chuan (drafting, concretisation, extras): reminders every ~70 s while the faults run.
  // thuong-xuyen (review, propaganda, policy proposals): two reminders, later on.
  // bao-cao-thang (monthly reports) keeps its working-day form.
  seed.escalationPolicies = seed.escalationPolicies.map((p) => {
    if (p.code === 'tieu-chuan') {
      return {
        code: 'tieu-chuan',
        label: 'Thử nghiệm: nhắc hạn mỗi ~70 giây',
        reminders: [40, 110, 180, 250, 320, 390].map((s) => ({ ...before(s), notify: ['lead-unit'] })),
        ladder: [{ afterSeconds: 0, notify: ['lead-unit-head'] }],
        sendBack: { seconds: 3600 },
      };
    }
    if (p.code === 'thuong-xuyen') {
      return {
        code: 'thuong-xuyen',
        label: 'Thử nghiệm: hai lần nhắc',
        reminders: [150, 300].map((s) => ({ ...before(s), notify: ['lead-unit', 'lead-unit-head'] })),
        ladder: [{ afterSeconds: 0, notify: ['standing-office'] }],
        sendBack: { seconds: 3600 },
      };
    }
    return p;
  });
  const text = stringify(seed);
  const parsed = parsePlanDefinition(text);
  if (!parsed.ok) throw new Error(`fault plan invalid: ${JSON.stringify(parsed.errors)}`);
  return { text, plan: parsed.plan, specs: expandPlan(parsed.plan, createWorkingCalendar(), { planId: 'probe' }) };
}
