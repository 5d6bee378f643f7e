import { patched } from '@temporalio/workflow';
import type { SearchAttributePair } from '@temporalio/common';
import { assignmentOpening, settledStatus, type AssignmentSpec, type AssignmentState } from '@dieu-hanh/domain/assignment';
import { SA_DEADLINE, SA_ESCALATION_LEVEL, SA_KIND, SA_PLAN, SA_STATUS, SA_UNIT } from './search-attributes';

/** Issue 10: DhStatus holds the domain's settled status (or 'open'), not a coarse copy of its own. */
export const PATCH_STATUS_SEARCH = 'ux-status-search';

/**
 * The DhStatus value: the settled part of the one status definition, or 'open' while the
 * clock decides (then DhDeadline does, see `statusVisibilityQuery` in libs/domain).
 * Workflows that started earlier keep the coarse value they wrote then, so they replay.
 */
export function searchStatus(state: AssignmentState, settled = false): string {
  if (settled || patched(PATCH_STATUS_SEARCH)) return settledStatus(state) ?? 'open';
  if (state.lifecycle === 'open' && state.escalationLevel > 0) return 'overdue';
  return state.lifecycle;
}

/** `settled`: the workflow already knows it takes the settled status (a later patch implies it), without asking `patched`. */
export function assignmentSearchAttributes(spec: AssignmentSpec, state: AssignmentState, settled = false): SearchAttributePair[] {
  return [
    { key: SA_PLAN, value: spec.planId },
    { key: SA_UNIT, value: spec.leadUnit },
    { key: SA_KIND, value: spec.kind },
    { key: SA_STATUS, value: searchStatus(state, settled) },
    { key: SA_DEADLINE, value: new Date(state.deadline.dueAt) },
    { key: SA_ESCALATION_LEVEL, value: state.escalationLevel },
  ];
}

/**
 * The search attributes of an assignment just opened at `at` (patch `perf2-batched-effects` or
 * later): what its first round of effects would upsert. A starter that writes the opening
 * projection itself gives them at start (patch `perf3-opening-projection`).
 */
export function openingSearchAttributes(spec: AssignmentSpec, at: string): SearchAttributePair[] {
  return assignmentSearchAttributes(spec, assignmentOpening(spec, at).state, true);
}
