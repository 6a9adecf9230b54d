import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, Parser, type Diagnostic } from '@asyncapi/parser';
import Ajv from 'ajv';
import { parse, stringify } from 'yaml';
import { EVENT_DEFINITIONS, Topics, allTopics, deadLetterTopic } from '@baton/contracts';
import { PARTICIPANTS, messageId, topicsOf } from './asyncapi';
import { declaredHandlers, deployableApps } from './event-handlers';
import { contractsDir } from './contract-docs';

// The committed AsyncAPI document must be valid AsyncAPI 3 and cover every topic and every
// event version of the contracts (contract-docs.spec.ts checks it is the generator's output).
const text = readFileSync(path.join(contractsDir(), 'asyncapi.yaml'), 'utf8');
const parser = new Parser();
const errorsOf = (diagnostics: Diagnostic[]) =>
  diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => `${d.path.join('/')}: ${d.message}`);

let parsed: Awaited<ReturnType<Parser['parse']>>;
beforeAll(async () => {
  parsed = await parser.parse(text);
}, 60000);

describe('docs/contracts/asyncapi.yaml', () => {
  it('parses with @asyncapi/parser without an error diagnostic', () => {
    expect(errorsOf(parsed.diagnostics)).toEqual([]);
    expect(parsed.document?.version()).toBe('3.0.0');
  });

  it('would fail on a broken document (the check has teeth)', async () => {
    const broken = parse(text) as { operations: Record<string, { channel: { $ref: string } }> };
    broken.operations['upstream.send.task.submitted'].channel.$ref = '#/channels/baton.no.such.topic';
    expect(errorsOf((await parser.parse(stringify(broken))).diagnostics)).not.toEqual([]);
  }, 60000);

  it('has a channel per topic, addressed by the topic name, and the dead-letter twins', () => {
    const doc = parsed.document!;
    const addresses = doc.channels().all().map((c) => c.address());
    expect(addresses).toEqual(expect.arrayContaining(allTopics()));
    const dead = doc.channels().get('dead-letters');
    expect(dead?.address()).toBe(deadLetterTopic('{topic}'));
    expect(dead?.parameters().get('topic')?.schema()?.enum()).toEqual(allTopics());
  });

  it('has a message per event version, on the channel of every topic it is published on', () => {
    const doc = parsed.document!;
    for (const def of EVENT_DEFINITIONS) {
      const id = messageId(def.type, def.version);
      const msg = doc.components().messages().get(id);
      expect({ id, name: msg?.name() }).toEqual({ id, name: def.type });
      for (const topic of topicsOf(def)) {
        const channel = doc.channels().all().find((c) => c.address() === topic);
        expect({ topic, message: channel?.messages().all().some((m) => m.id() === id) }).toEqual({ topic, message: true });
      }
    }
  });

  it('keys every event by task id and names the headers Baton writes', () => {
    const raw = parse(text) as { components: { messages: Record<string, { bindings: { kafka: { key: { format?: string } } }; headers: { properties: Record<string, unknown> } }> } };
    for (const def of EVENT_DEFINITIONS) {
      const msg = raw.components.messages[messageId(def.type, def.version)];
      expect(msg.bindings.kafka.key.format).toBe('uuid');
      expect(Object.keys(msg.headers.properties)).toEqual(expect.arrayContaining(['traceparent', 'content-type', 'baton-event-type']));
    }
  });

  it('carries the saved examples, and they fit the payload and header schemas of their message', () => {
    const doc = parsed.document!;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
    for (const def of EVENT_DEFINITIONS) {
      const msg = doc.components().messages().get(messageId(def.type, def.version))!;
      const examples = msg.examples().all();
      expect({ message: msg.id(), examples: examples.length }).toEqual({ message: msg.id(), examples: 1 });
      const payloadOk = ajv.compile(msg.payload()!.json());
      const headersOk = ajv.compile(msg.headers()!.json());
      expect(payloadOk({ ...(examples[0].payload() as object), taskId: 'not-a-uuid' })).toBe(false);
      for (const ex of examples) {
        expect({ message: msg.id(), payload: payloadOk(ex.payload()), errors: payloadOk.errors ?? null }).toEqual({ message: msg.id(), payload: true, errors: null });
        expect({ message: msg.id(), headers: headersOk(ex.headers()) }).toEqual({ message: msg.id(), headers: true });
      }
    }
  });

  it('says where upstream systems publish and what they read', () => {
    const ops = parsed.document!.operations();
    const submit = ops.get('upstream.send.task.submitted');
    expect(submit?.action()).toBe('send');
    expect(submit?.channels().all().map((c) => c.address())).toEqual([Topics.taskSubmitted]);
    const reads = ops
      .all()
      .filter((o) => (o.id() ?? '').startsWith('upstream.receive.'))
      .flatMap((o) => o.channels().all().map((c) => c.address()));
    expect(reads).toEqual(expect.arrayContaining([Topics.taskCompleted, Topics.taskFailed, Topics.taskRejected, Topics.taskEscalated]));
  });
});

describe('the AsyncAPI participants and the code', () => {
  const root = path.join(__dirname, '..');
  const byName = new Map(PARTICIPANTS.map((p) => [p.name, p]));

  it("say each service's consumer groups read exactly the events its @EventPattern handlers declare", () => {
    const apps = deployableApps(root, new Set(['cli', 'simulator']));
    expect(apps.filter((a) => !byName.has(a))).toEqual([]);
    for (const app of apps) {
      const declared = declaredHandlers(root, app).map((h) => (h.configured ? `(per instance or role) ${h.type}` : `${h.group} ${h.type}`));
      // Groups with `{role}` or `<instance id>` in their id are the ones an app configures at start.
      const described = byName.get(app)!.receives.flatMap((r) => r.types.map((t) => (/\{role\}|<instance id>/.test(r.group) ? `(per instance or role) ${t}` : `${r.group} ${t}`)));
      expect([app, [...new Set(declared)].sort()]).toEqual([app, [...new Set(described)].sort()]);
    }
  });
});
