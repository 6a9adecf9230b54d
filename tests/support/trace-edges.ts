/** The service-to-service Kafka hops every single-step task makes, as `producer->consumer`. */
export const SINGLE_STEP_EDGES = [
  'baton-gateway->baton-guardrails',
  'baton-guardrails->baton-router',
  'baton-router->baton-planner',
  'baton-planner->baton-agent',
  'baton-agent->baton-guardrails',
  'baton-guardrails->baton-planner',
  'baton-agent->baton-cost-accountant',
] as const;
