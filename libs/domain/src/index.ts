export * from './assignment/assignment-spec';

export * from './calendar/iso-date';
export * from './calendar/calendar-notices';
export * from './calendar/working-calendar';

export * from './deadline/deadline-expression';
export * from './deadline/report-period-key';
export * from './deadline/report-rhythm';

export * from './escalation/escalation-policy.schema';
export * from './escalation/escalation-policy';
export * from './escalation/wait-deadline';
export * from './escalation/overdue-summary';

export * from './status/assignment-status';

export * from './text/safe-text';
export * from './text/local-dates';
export * from './text/notice-text';

export * from './plan/plan-definition.schema';
export * from './plan/plan-definition-parser';
export * from './plan/plan-references';
export * from './plan/plan-expansion';
export * from './plan/report-period';
export * from './plan/plan-horizon';
export * from './plan/on-demand';
export * from './plan/canonical-plan-json';
export * from './plan/plan-amendment';
export * from './plan/reorganisation';
export * from './plan/unit-ends';
export * from './plan/amendment-description';

export * from './delegation/delegation';
export * from './integration/webhook-events';
