export * from './plan-graph';
export * from './workflow-registry';
