export * from './assignment-spec';
export * from './assignment-events';
export * from './assignment-state';
export * from './approval-state';
