export * from './assignment/assignment-spec';

export * from './calendar/iso-date';
export * from './calendar/calendar-notices';
export * from './calendar/working-calendar';

export * from './deadline/deadline-expression';

export * from './escalation/escalation-policy.schema';
export * from './escalation/escalation-policy';

export * from './status/assignment-status';

export * from './plan/plan-definition.schema';
export * from './plan/plan-definition-parser';
export * from './plan/plan-references';
export * from './plan/plan-expansion';
export * from './plan/report-period';
export * from './plan/canonical-plan-json';
