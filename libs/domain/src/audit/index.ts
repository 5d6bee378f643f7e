export * from './history-json';
export * from './domain-events';
export * from './state-at-event';
export * from './timeline';
