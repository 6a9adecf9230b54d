// The AsyncAPI 3 document of Baton's topics (docs/contracts/asyncapi.yaml), generated from
// the zod contracts and the saved examples; `npm run contracts:export` writes it.
import { z } from 'zod';
import { stringify } from 'yaml';
import {
  AGENT_ROLES,
  DeadLetterRecord,
  EVENT_DEFINITIONS,
  allTopics,
  deadLetterTopic,
  stepRequestedTopic,
  type BatonEventType,
} from '@baton/contracts';
import type { SavedExample } from './contract-examples';

type AnyDefinition = (typeof EVENT_DEFINITIONS)[number];
type Json = Record<string, unknown>;

/** One line per event type, for readers of the document (the contracts' doc comments, shortened). */
const SUMMARIES: { [T in BatonEventType]: string } = {
  'task.submitted': 'A task entered Baton: published by the gateway, or by an upstream system straight to Kafka.',
  'task.admitted': 'The input guard passed the task; `data.input` is the redacted input.',
  'task.rejected': 'Terminal: the input guard refused the task; `data.reason` says why.',
  'task.routed': 'The router chose a pattern, a specialist role and a model, with its reasons.',
  'step.requested': "The planner asks a specialist to run one attempt of a step; the topic is the role's.",
  'output.proposed': "A specialist's answer, not yet checked.",
  'output.approved': 'The output guard passed an output.',
  'output.blocked': 'The output guard refused an output; the planner retries or escalates.',
  'step.failed': 'A step attempt produced no output (model error, timeout, budget).',
  'llm.usage': 'Tokens one model call used; the cost accountant prices it.',
  'spend.recorded': 'The cost accountant priced a model call (integer micro-dollars).',
  'task.completed': 'Terminal: the task produced an approved result (`data.result`).',
  'task.failed': 'Terminal: the task cannot be done; `data.reason` and `data.stopReason` say why.',
  'task.escalated': 'The task waits for a human decision (which a `task.decision` brings); not terminal.',
  'task.decision': "A human's decision on an escalation, or its timeout.",
  'plan.proposed': "The planner agent's plan, for the router to pick a model per step.",
  'plan.routed': "The router's answer to a proposed plan.",
  'step.handoff': 'A specialist handed its step to another specialist.',
  'tool.proposed': 'An agent wants to run a tool; nothing runs before the guardrails answer.',
  'tool.verdict': "The guardrails' verdict on a proposed tool call.",
  'budget.low': 'A budget scope fell below its low-water mark.',
  'budget.exhausted': 'A model call was refused because a budget could not cover its worst-case cost.',
  'audit.recorded': "One entry of a task's audit trail.",
};

/** Who takes part: a service (or an upstream system), what it publishes, and what each of its consumer groups reads. */
export interface Participant {
  name: string;
  description: string;
  sends: readonly BatonEventType[];
  /** `{role}` in a group id stands for the role of the step topic read. */
  receives: ReadonlyArray<{ group: string; types: readonly BatonEventType[] }>;
}

/** What each participant publishes and reads; asyncapi.spec.ts holds the groups and the events they read to the apps' @EventPattern handlers. */
export const PARTICIPANTS: readonly Participant[] = [
  {
    name: 'upstream',
    description: 'A system integrating with Baton (docs/upstream.md): submits tasks and reads their outcome.',
    sends: ['task.submitted'],
    receives: [{ group: '<your own group id>', types: ['task.completed', 'task.failed', 'task.rejected', 'task.escalated'] }],
  },
  { name: 'gateway', description: 'The HTTP API: submissions and human decisions.', sends: ['task.submitted', 'task.decision'], receives: [] },
  {
    name: 'guardrails',
    description: 'Input, output and tool-call guards; files the audit trail.',
    sends: ['task.admitted', 'task.rejected', 'output.approved', 'output.blocked', 'tool.verdict', 'audit.recorded'],
    receives: [
      { group: 'guardrails', types: ['task.submitted', 'output.proposed'] },
      { group: 'guardrails-tools', types: ['tool.proposed'] },
      { group: 'audit-trail', types: ['audit.recorded'] },
    ],
  },
  {
    name: 'router',
    description: 'Chooses the pattern, role and model of a task and of every plan step.',
    sends: ['task.routed', 'task.failed', 'plan.routed', 'llm.usage'],
    receives: [{ group: 'router', types: ['task.admitted', 'plan.proposed'] }],
  },
  {
    name: 'planner',
    description: 'Runs every pattern: steps, retries, escalations, limits; ends every task.',
    sends: ['step.requested', 'plan.proposed', 'task.completed', 'task.failed', 'task.escalated', 'task.decision'],
    receives: [
      {
        group: 'planner',
        types: ['task.routed', 'output.approved', 'output.blocked', 'step.failed', 'step.handoff', 'plan.routed', 'task.decision'],
      },
    ],
  },
  {
    name: 'agent',
    description: 'One deployment per role (or several light roles per process): runs step attempts against a model.',
    sends: ['output.proposed', 'step.failed', 'step.handoff', 'llm.usage', 'tool.proposed', 'budget.low', 'budget.exhausted', 'audit.recorded'],
    receives: [
      { group: 'agent-{role}', types: ['step.requested'] },
      { group: 'agent-verdicts-<instance id>', types: ['tool.verdict'] },
    ],
  },
  {
    name: 'cost-accountant',
    description: 'Prices model calls and settles budget reservations.',
    sends: ['spend.recorded'],
    receives: [{ group: 'cost-accountant', types: ['llm.usage'] }],
  },
];

/** Id of an event version in the document (`@` is not allowed in component keys). */
export function messageId(type: string, version: number): string {
  return `${type}.v${version}`;
}

/** The topics an event definition publishes on: one, or one per role for the role-keyed step topics. */
export function topicsOf(def: AnyDefinition): string[] {
  const topic = def.topic as (data: unknown) => string;
  // A definition whose topic reads the payload picks it by role (the only payload-keyed topics).
  const topics = topic.length === 0 ? [topic(undefined)] : AGENT_ROLES.map((role) => topic({ role }));
  const known = new Set(allTopics());
  for (const t of topics) if (!known.has(t)) throw new Error(`${def.type}@${def.version} publishes on ${t}, which is not in allTopics()`);
  return topics;
}

/** A JSON Schema of `schema` in the draft AsyncAPI 3.0 schemas build on (draft-07), without `$schema`. */
function draft7(schema: z.ZodType): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', target: 'draft-7' }) as Json;
  return rest;
}

const TRACEPARENT_EXAMPLE = '00-aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb-cccccccccccccccc-01';

function headersSchema(type: string): Json {
  return {
    type: 'object',
    description: 'Kafka headers. Baton writes them on every event; consumers do not need them (the payload says everything), so an upstream producer may leave them out.',
    properties: {
      traceparent: {
        type: 'string',
        pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
        description: "W3C trace context of the publishing span. When an upstream producer sets it, the task's trace joins the producer's.",
      },
      tracestate: { type: 'string', description: 'W3C trace state, when the publishing span has one.' },
      baggage: { type: 'string', description: 'W3C baggage, when the publisher has any.' },
      'content-type': { type: 'string', const: 'application/json' },
      'baton-event-type': { type: 'string', const: type, description: 'The event type, as in the payload (the version is only in the payload).' },
    },
  };
}

const KEY_BINDING = {
  kafka: {
    key: {
      type: 'string',
      format: 'uuid',
      description: "The task id (the payload's `taskId`): every event of a task lands on the same partition, in order.",
    },
    bindingVersion: '0.5.0',
  },
};

function message(def: AnyDefinition, examples: readonly SavedExample[]): Json {
  const own = examples.filter((e) => e.type === def.type && e.version === def.version);
  return {
    name: def.type,
    title: `${def.type} v${def.version}`,
    summary: SUMMARIES[def.type],
    description: `Envelope fields and \`data\` of ${def.type} version ${def.version}. JSON Schema: events/${def.type}@${def.version}.schema.json; saved example: examples/${def.type}@${def.version}.json.`,
    contentType: 'application/json',
    headers: headersSchema(def.type),
    payload: { $ref: `#/components/schemas/${messageId(def.type, def.version)}` },
    correlationId: { $ref: '#/components/correlationIds/taskId' },
    bindings: KEY_BINDING,
    examples: own.map((e) => ({
      name: e.file.replace(/\.json$/, ''),
      summary: `Saved example (examples/${e.file}); the Kafka key is its taskId.`,
      headers: { traceparent: TRACEPARENT_EXAMPLE, 'content-type': 'application/json', 'baton-event-type': def.type },
      payload: e.value,
    })),
  };
}

function channelDescription(topic: string, participants: readonly Participant[], byTopic: Map<string, AnyDefinition[]>): string {
  const senders = participants.filter((p) => p.sends.some((t) => byTopic.get(topic)?.some((d) => d.type === t))).map((p) => p.name);
  const readers = participants
    .filter((p) => p.receives.some((r) => r.types.some((t) => byTopic.get(topic)?.some((d) => d.type === t))))
    .map((p) => p.name);
  return [
    `Published by: ${senders.join(', ') || 'nobody yet'}. Read by: ${readers.join(', ') || 'nobody inside Baton (an outcome for observers)'}.`,
    `Keyed by task id. Messages a consumer cannot handle go to \`${deadLetterTopic(topic)}\`.`,
  ].join(' ');
}

function opName(participant: string, action: 'send' | 'receive', topic: string): string {
  return `${participant}.${action}.${topic.replace(/^baton\./, '')}`;
}

/** The AsyncAPI 3.0.0 document as a plain object. */
export function asyncApiDocument(opts: { version: string; examples: readonly SavedExample[] }): Json {
  const byTopic = new Map<string, AnyDefinition[]>();
  for (const def of EVENT_DEFINITIONS) for (const t of topicsOf(def)) byTopic.set(t, [...(byTopic.get(t) ?? []), def]);

  const channels: Json = {};
  for (const topic of allTopics()) {
    const defs = byTopic.get(topic) ?? [];
    channels[topic] = {
      address: topic,
      title: topic,
      description: channelDescription(topic, PARTICIPANTS, byTopic),
      messages: Object.fromEntries(defs.map((d) => [messageId(d.type, d.version), { $ref: `#/components/messages/${messageId(d.type, d.version)}` }])),
    };
  }
  channels['dead-letters'] = {
    address: '{topic}.dlt',
    title: 'Dead letters',
    description:
      'The dead-letter twin of every topic. A consumer group that cannot handle a message (not JSON, not a valid event, no handler, or the handler kept failing) publishes this record, with the original key, and moves on.',
    parameters: { topic: { enum: allTopics(), description: 'The topic the message was consumed from.' } },
    messages: { deadLetter: { $ref: '#/components/messages/deadLetter' } },
  };

  const operations: Json = {};
  const addOp = (participant: Participant, action: 'send' | 'receive', topic: string, types: readonly BatonEventType[], group?: string) => {
    const defs = (byTopic.get(topic) ?? []).filter((d) => types.includes(d.type));
    if (defs.length === 0) return;
    const role = AGENT_ROLES.find((r) => stepRequestedTopic(r) === topic);
    const groupId = role && group ? group.replace('{role}', role) : group;
    operations[opName(participant.name, action, topic)] = {
      action,
      channel: { $ref: `#/channels/${topic}` },
      summary: `${participant.name} ${action === 'send' ? 'publishes' : 'reads'} ${defs.map((d) => d.type).join(', ')}`,
      tags: [{ name: participant.name }],
      messages: defs.map((d) => ({ $ref: `#/channels/${topic}/messages/${messageId(d.type, d.version)}` })),
      ...(action === 'receive' && groupId
        ? {
            bindings: {
              kafka: {
                groupId: groupId.includes('<') ? { type: 'string', description: groupId } : { type: 'string', enum: [groupId] },
                bindingVersion: '0.5.0',
              },
            },
          }
        : {}),
    };
  };
  for (const p of PARTICIPANTS) {
    for (const topic of allTopics()) addOp(p, 'send', topic, p.sends);
    for (const r of p.receives) for (const topic of allTopics()) addOp(p, 'receive', topic, r.types, r.group);
  }
  operations['services.send.dead-letters'] = {
    action: 'send',
    channel: { $ref: '#/channels/dead-letters' },
    summary: 'Any consumer group of any service dead-letters a message it cannot handle',
    messages: [{ $ref: '#/channels/dead-letters/messages/deadLetter' }],
  };
  operations['upstream.receive.dead-letters'] = {
    action: 'receive',
    channel: { $ref: '#/channels/dead-letters' },
    summary: 'An upstream system watches the dead letters of what it published (e.g. baton.task.submitted.dlt)',
    tags: [{ name: 'upstream' }],
    messages: [{ $ref: '#/channels/dead-letters/messages/deadLetter' }],
  };

  const schemas: Json = Object.fromEntries(EVENT_DEFINITIONS.map((d) => [messageId(d.type, d.version), draft7(d.schema as z.ZodType)]));
  schemas['DeadLetterRecord'] = draft7(DeadLetterRecord);
  const messages: Json = Object.fromEntries(EVENT_DEFINITIONS.map((d) => [messageId(d.type, d.version), message(d, opts.examples)]));
  messages['deadLetter'] = {
    name: 'dead-letter',
    title: 'Dead-letter record',
    summary: 'The original message untouched, where it came from and why it failed.',
    contentType: 'application/json',
    headers: {
      type: 'object',
      properties: {
        'content-type': { type: 'string', const: 'application/json' },
        'baton-dead-letter-reason': { type: 'string', enum: DeadLetterRecord.shape.reason.options, description: 'Same as the payload\'s `reason`.' },
        traceparent: { type: 'string', description: 'W3C trace context of the consumer that gave up.' },
      },
    },
    payload: { $ref: '#/components/schemas/DeadLetterRecord' },
    bindings: { kafka: { key: { type: ['string', 'null'], description: "The original message's key, unchanged." }, bindingVersion: '0.5.0' } },
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Baton events',
      version: opts.version,
      description: [
        'Every Kafka topic of Baton, every event version on it, and who publishes and reads it. Generated from the zod contracts in `libs/contracts` by `npm run contracts:export`; never edit it by hand.',
        '',
        '- Every message is one JSON event: the envelope (`eventId`, `type`, `version`, `tenantId`, `taskId`, `causationId`, `occurredAt`) and its `data`. Consumers handle each `eventId` once and validate every message; one that fails goes to the topic\'s dead-letter twin `<topic>.dlt`.',
        '- The Kafka key is always the task id, so a task\'s events stay in order.',
        '- Namespaces: a deployment started with `BATON_NAMESPACE=<ns>` (e.g. the shadow pipeline) uses `baton.<ns>.<x>` for every topic `baton.<x>` below, and consumer groups `<group>.<ns>`.',
        '- Operations are named `<participant>.<send|receive>.<topic>` and read from that participant\'s side; `upstream.*` is what an integrating system does (see docs/upstream.md).',
      ].join('\n'),
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
      tags: PARTICIPANTS.map((p) => ({ name: p.name, description: p.description })),
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The local broker (`npm run infra:up`, or docker compose). It listens on IPv4 loopback only, hence 127.0.0.1 rather than localhost.',
      },
    },
    channels,
    operations,
    components: {
      schemas,
      messages,
      correlationIds: { taskId: { description: 'The task id; also the Kafka key.', location: '$message.payload#/taskId' } },
    },
  };
}

/** The document as YAML, with a header saying it is generated. */
export function asyncApiYaml(opts: { version: string; examples: readonly SavedExample[] }): string {
  const header = '# Generated by `npm run contracts:export` from libs/contracts (scripts/asyncapi.ts). Do not edit.\n';
  // Written as YAML 1.1 would read it: strings such as timestamps or `on` are quoted, so
  // YAML 1.1 tools (PyYAML, SnakeYAML) read the same values as YAML 1.2 ones.
  return header + stringify(asyncApiDocument(opts), { aliasDuplicateObjects: false, lineWidth: 0, version: '1.1' });
}
