import { WorkflowRegistry } from '@baton/workflows';

/** Sample tasks from real business cases, submitted by `npm start` and the bench. */
export interface SampleTask {
  title: string;
  body: {
    taskType: string;
    input: { text: string; data?: Record<string, unknown> };
    outputSchema?: Record<string, unknown>;
    instruction?: string;
    workflow?: string;
  };
}

export const LEAD_SCHEMA = {
  type: 'object',
  properties: {
    qualified: { type: 'boolean' },
    score: { type: 'integer', minimum: 0, maximum: 100 },
    budget: { type: 'string' },
    timeline: { type: 'string' },
    nextAction: { type: 'string', minLength: 1 },
  },
  required: ['qualified', 'score', 'nextAction'],
  additionalProperties: false,
};

export const SCREENING_SCHEMA = {
  type: 'object',
  properties: {
    shortlist: { type: 'boolean' },
    fit: { type: 'integer', minimum: 0, maximum: 100 },
    strengths: { type: 'array', items: { type: 'string' }, minItems: 1 },
    concerns: { type: 'array', items: { type: 'string' } },
  },
  required: ['shortlist', 'fit', 'strengths'],
  additionalProperties: false,
};

/**
 * One task per workflow that declares a `sample:`; the workflow files are the one source of
 * these inputs, shared with `baton simulate`.
 */
export function workflowSamples(registry: WorkflowRegistry): SampleTask[] {
  return registry.list().flatMap((wf) =>
    wf.sample
      ? [{ title: `Workflow ${wf.name}: ${wf.description}`, body: { taskType: wf.sample.taskType, workflow: wf.name, input: wf.sample.input } }]
      : [],
  );
}

/** What `npm start` submits, in order: two single steps, every workflow's sample, a debate, then a triage. */
export const SAMPLE_TASKS: SampleTask[] = [
  {
    title: 'Qualify a sales lead from meeting notes',
    body: {
      taskType: 'lead.qualify',
      input: {
        text:
          'Call with Priya Raman, Head of Operations at Northwind Logistics (priya.raman@northwind.example, +44 20 7946 0958). ' +
          '120 dispatchers, current tool is spreadsheets. Budget of about 60k approved for this fiscal year; she signs off with the CFO. ' +
          'Wants a pilot running before the peak season in September.',
      },
      outputSchema: LEAD_SCHEMA,
    },
  },
  {
    title: 'Screen a resume for a backend engineer opening',
    body: {
      taskType: 'resume.screen',
      input: {
        text:
          'Role: senior backend engineer (TypeScript, Kafka, PostgreSQL). Candidate: 7 years building payment services in Node.js; ' +
          'ran Kafka clusters handling 50k msg/s; led migration from a monolith to event-driven services; no PostgreSQL mentioned, uses MySQL.',
      },
      outputSchema: SCREENING_SCHEMA,
    },
  },
  ...workflowSamples(WorkflowRegistry.fromDir()),
  {
    // The router's rules send fraud.review to a debate: risk, compliance and a generalist vote hold or release.
    title: 'Debate whether to hold a flagged payment',
    body: {
      taskType: 'fraud.review',
      instruction: 'Should this payment be held for review?',
      input: { text: 'Payment of 4,900 EUR from a new device in a second country 20 minutes after the last one; merchant is a known electronics retailer.' },
    },
  },
  {
    title: 'Triage a customer support ticket',
    body: {
      taskType: 'support.triage',
      input: { text: 'Our invoices since March show double VAT. Card on file 4111 1111 1111 1111 was charged twice. Please fix urgently.' },
    },
  },
];
