// Saved example payloads: one file per published event version under
// docs/contracts/examples/, the frozen record of what Baton once published. A file is
// written once, when its event version first appears, and never again: changing one is a
// compatibility decision taken by hand, not a regeneration.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { EVENT_DEFINITIONS, type BatonEvent, type BatonEventType } from '@baton/contracts';

type AnyDefinition = (typeof EVENT_DEFINITIONS)[number];
type DataOf<T extends BatonEventType> = z.input<Extract<AnyDefinition, { type: T }>['data']>;

/** Readable ids, so nobody mistakes an example for a real task. */
const TASK_ID = '11111111-1111-4111-8111-111111111111';
const TENANT_ID = 'acme';
const OCCURRED_AT = '2026-11-24T09:30:00.000Z';
const STEP = { stepId: 'main', attempt: 1 };
const DECISION = {
  policy: 'cheapest',
  candidates: [
    { model: 'small-fast', eligible: true, estimatedCostMicros: 420 },
    { model: 'large-smart', eligible: true, estimatedCostMicros: 5100 },
    { model: 'tiny-local', eligible: false, excludedBecause: 'context window 4096 < 8000 tokens needed' },
  ],
  reason: 'small-fast is the cheapest eligible model',
};
const TASK = {
  taskType: 'support.triage',
  input: { text: 'The March invoice was charged twice; the customer wants one charge refunded.' },
};
const ESCALATION_ID = '22222222-2222-4222-8222-222222222222';

/**
 * The data of a sample event of the current version of every event type. The type checker
 * makes every type appear and fit its current schema; a new version of a type changes its
 * entry here, and the next export saves the new version's example next to the old one.
 */
export const EXAMPLE_DATA: { [T in BatonEventType]: DataOf<T> } = {
  'task.submitted': { ...TASK, idempotencyKey: 'crm-ticket-4711' },
  'task.admitted': { ...TASK, redactions: [] },
  'task.rejected': {
    stage: 'input',
    reason: { kind: 'user', code: 'input_too_large', message: 'input.text has 25000 characters; the limit is 20000' },
  },
  'task.routed': {
    ...TASK,
    pattern: 'single',
    patternReason: 'default pattern',
    role: 'general',
    model: 'small-fast',
    fallbackModels: ['large-smart'],
    instruction: 'Triage the support request: category, urgency and the next action.',
    decision: DECISION,
  },
  'step.requested': {
    ...STEP,
    role: 'general',
    model: 'small-fast',
    instruction: 'Triage the support request: category, urgency and the next action.',
    input: TASK.input,
    feedback: [],
    fallbackModels: ['large-smart'],
    maxToolCalls: 10,
    taskType: 'support.triage',
  },
  'output.proposed': { ...STEP, role: 'general', model: 'small-fast', content: 'Billing, high urgency: refund the duplicate charge.', toolCalls: 0 },
  'output.approved': { ...STEP, output: 'Billing, high urgency: refund the duplicate charge.', toolCalls: 0 },
  'output.blocked': {
    ...STEP,
    reason: { kind: 'model', code: 'schema_mismatch', message: 'output: must have required property qualified' },
    toolCalls: 0,
  },
  'step.failed': { ...STEP, error: { kind: 'system', code: 'model_timeout', message: 'small-fast did not answer within 30000 ms' } },
  'llm.usage': { ...STEP, model: 'small-fast', provider: 'simulator', promptTokens: 412, completionTokens: 38, latencyMs: 640 },
  'spend.recorded': {
    usageEventId: 'eeeeeeee-eeee-4eee-8eee-000000000010',
    model: 'small-fast',
    costMicros: 87,
    taskTotalMicros: 87,
    tenantTotalMicros: 15230,
  },
  'task.completed': { result: 'Billing, high urgency: refund the duplicate charge.', attempts: 1 },
  'task.failed': {
    reason: { kind: 'policy', code: 'no_eligible_model', message: 'no model meets the declared needs' },
    stopReason: 'no_eligible_model',
  },
  'task.escalated': {
    escalationId: ESCALATION_ID,
    reason: { kind: 'model', code: 'attempts_exhausted', message: 'step main failed its output check 3 times' },
    stopReason: 'attempts_exhausted',
    attempts: 3,
    history: [1, 2, 3].map((attempt) => ({ attempt, outcome: 'blocked', reason: 'output: must be valid JSON' })),
    allowed: ['approve', 'reject', 'answer'],
    bundle: {
      stepId: 'main',
      role: 'general',
      question: 'The step failed its output check 3 times. Retry with guidance, or reject the task?',
      history: [1, 2, 3].map((attempt) => ({ attempt, outcome: 'blocked', reason: 'output: must be valid JSON' })),
      stepOutputs: {},
      spentMicros: 261,
      stepsRun: 1,
    },
    expiresAt: '2026-11-25T09:30:00.000Z',
    onTimeout: 'fail',
  },
  'task.decision': { escalationId: ESCALATION_ID, action: 'answer', answer: 'Answer as JSON with category and urgency.', decidedBy: 'dana' },
  'plan.proposed': {
    revision: 1,
    plan: {
      steps: [
        { id: 'gather', role: 'research', instruction: 'Collect the public facts on the market.' },
        { id: 'write', role: 'writer', instruction: 'Write a one-page brief from the facts.', dependsOn: ['gather'] },
      ],
      resultStep: 'write',
    },
    taskType: 'research.market',
    input: { text: 'How large is the market for office plants in Benelux?' },
  },
  'plan.routed': {
    revision: 1,
    plan: {
      steps: [
        { id: 'gather', role: 'research', instruction: 'Collect the public facts on the market.', model: 'small-fast' },
        { id: 'write', role: 'writer', instruction: 'Write a one-page brief from the facts.', dependsOn: ['gather'], model: 'large-smart' },
      ],
      resultStep: 'write',
    },
    decision: DECISION,
  },
  'step.handoff': {
    ...STEP,
    fromRole: 'general',
    toRole: 'sales',
    reason: 'the customer asks about a volume discount',
    note: 'Customer with 40 seats asks for a discount on renewal.',
    toolCalls: 1,
  },
  'tool.proposed': {
    ...STEP,
    callId: 'main-1-crm_lookup-1',
    tool: 'crm_lookup',
    replyTo: 'agent-general-1',
    role: 'general',
    sideEffect: 'read',
    args: { customer: '[EMAIL_1]' },
  },
  'tool.verdict': {
    ...STEP,
    callId: 'main-1-crm_lookup-1',
    tool: 'crm_lookup',
    replyTo: 'agent-general-1',
    decision: 'allow',
    reason: 'read-only tools are allowed for every role',
    rule: 'read-only',
    unredact: ['email'],
  },
  'budget.low': { scope: 'tenant:acme:day:2026-11-24', level: 'tenant', limitMicros: 5_000_000, remainingMicros: 900_000 },
  'budget.exhausted': {
    ...STEP,
    scope: 'task:11111111-1111-4111-8111-111111111111',
    level: 'task',
    limitMicros: 1_000_000,
    spentMicros: 990_000,
    reservedMicros: 0,
    requestedMicros: 24_000,
    model: 'large-smart',
  },
  'audit.recorded': {
    category: 'input',
    actor: 'guardrails',
    decision: 'admit',
    reason: 'admitted: within limits, nothing to redact',
    details: { redactions: [] },
  },
};

/** File name of the saved example of one event version. */
export function exampleFileName(type: string, version: number): string {
  return `${type}@${version}.json`;
}

/** A complete sample event (envelope and data) of the current version of `def`'s type, validated. */
export function sampleEvent(def: AnyDefinition): BatonEvent {
  const index = EVENT_DEFINITIONS.indexOf(def);
  const raw = {
    eventId: `eeeeeeee-eeee-4eee-8eee-${String(index + 1).padStart(12, '0')}`,
    type: def.type,
    version: def.version,
    tenantId: TENANT_ID,
    taskId: TASK_ID,
    causationId: def.type === 'task.submitted' ? null : 'eeeeeeee-eeee-4eee-8eee-000000000001',
    occurredAt: OCCURRED_AT,
    data: EXAMPLE_DATA[def.type],
  };
  // The raw sample is what gets saved: parsing proves it valid without writing defaults into it.
  (def.schema as z.ZodType).parse(raw);
  return raw as BatonEvent;
}

/** A saved example: its event version and the value as stored. */
export interface SavedExample {
  type: string;
  version: number;
  file: string;
  value: unknown;
}

const FILE_PATTERN = /^([a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*)@([1-9][0-9]*)\.json$/;

/** Every saved example in `dir`, sorted by file name; fails on a file whose name is not `<type>@<version>.json`. */
export function readSavedExamples(dir: string): SavedExample[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((file) => {
      const m = FILE_PATTERN.exec(file);
      if (!m) throw new Error(`${path.join(dir, file)}: example files are named <type>@<version>.json`);
      return { type: m[1], version: Number(m[2]), file, value: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as unknown };
    });
}

/**
 * Writes the example of every event version that has none yet, and returns the files
 * written. Never touches an existing file (exclusive create). An older version without a
 * file cannot get one any more: the sample data describes the current version only.
 */
export function writeMissingExamples(dir: string): string[] {
  const latest = new Map<string, number>();
  for (const def of EVENT_DEFINITIONS) latest.set(def.type, Math.max(latest.get(def.type) ?? 0, def.version));
  const written: string[] = [];
  for (const def of EVENT_DEFINITIONS) {
    const file = exampleFileName(def.type, def.version);
    if (existsSync(path.join(dir, file))) continue;
    if (def.version !== latest.get(def.type)) {
      throw new Error(`${file} is missing: an example of an older version cannot be made from the current sample data; restore it from git`);
    }
    writeFileSync(path.join(dir, file), JSON.stringify(sampleEvent(def), null, 2) + '\n', { flag: 'wx' });
    written.push(file);
  }
  return written;
}
