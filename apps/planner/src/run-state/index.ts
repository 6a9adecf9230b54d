/*
 * The planner's executor, pure: one run state per task and what the planner must do after
 * each event. Every pattern runs as a plan (the single-step pattern is a one-step plan).
 */
export type { Action, AttemptReport, DispatchedStep, LimitDefaults, PendingEscalation, PendingToolCall, RunLimits, RunState, StepKind, StepRun } from './types';
export { planOf, startRun } from './start';
export { stop } from './outcomes';
export { ballots } from './plan-steps';
export { finish } from './advance';
export { onSetback } from './setback';
export { onApproved, onDeadline, onHandoff, onPlanRouted, restartStep } from './events';
