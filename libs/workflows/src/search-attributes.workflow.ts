import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { AssignmentSpec, AssignmentState } from '@dieu-hanh/domain/assignment';
import { SA_DEADLINE, SA_ESCALATION_LEVEL, SA_KIND, SA_PLAN, SA_STATUS, SA_UNIT } from './search-attributes';

/** Coarse status for Temporal UI filtering; the read model keeps the full taxonomy. */
export function searchStatus(state: AssignmentState): string {
  if (state.lifecycle === 'open' && state.escalationLevel > 0) return 'overdue';
  return state.lifecycle;
}

export function assignmentSearchAttributes(spec: AssignmentSpec, state: AssignmentState): SearchAttributeUpdatePair[] {
  return [
    { key: SA_PLAN, value: spec.planId },
    { key: SA_UNIT, value: spec.leadUnit },
    { key: SA_KIND, value: spec.kind },
    { key: SA_STATUS, value: searchStatus(state) },
    { key: SA_DEADLINE, value: new Date(state.deadline.dueAt) },
    { key: SA_ESCALATION_LEVEL, value: state.escalationLevel },
  ];
}
