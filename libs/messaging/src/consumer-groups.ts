import { z } from 'zod';
import { isEventType, topicsOfType, type BatonEvent, type BatonEventType } from '@baton/contracts';
import type { EventHandlers, HandlerContext } from './message-processor';

/**
 * Consumer settings of a handler: the `extras` of `@EventPattern(type, extras)`. Handlers
 * naming the same group share one consumer; its settings must agree where given.
 */
export interface EventHandlerOptions {
  /** Consumer group of the handler; default the transport's group (the service name). */
  group?: string;
  /** Where the group starts when it has no committed offset; default true (earliest). */
  fromBeginning?: boolean;
  /** Shutdown phase of the group (see SubscribeOptions.shutdownPhase); default 0. */
  shutdownPhase?: number;
  /** Partitions handled in parallel; default the bus' (3). */
  concurrency?: number;
}

const HandlerOptions = z.strictObject({
  group: z.string().min(1).optional(),
  fromBeginning: z.boolean().optional(),
  shutdownPhase: z.number().finite().optional(),
  concurrency: z.number().int().min(1).optional(),
});

/** One consumer a named group runs as: a group id known only at start, and its share of the group's topics. */
export interface GroupMember {
  groupId: string;
  /** Topics of this consumer, a subset of the topics of the group's handlers; default all of them. */
  topics?: readonly string[];
}

/**
 * Groups whose ids or topics depend on the running instance (an agent's own verdict group,
 * one group per configured role), by the name their handlers give in `group`. A group
 * missing here runs as one consumer under its own name on all its handlers' topics.
 */
export class ConsumerGroups {
  constructor(readonly byName: Readonly<Record<string, readonly GroupMember[]>> = {}) {}
}

/** A handler as the transport registered it: its event type, its options, and how to call it. */
export interface RegisteredHandler {
  pattern: unknown;
  extras: Record<string, unknown> | undefined;
  isEventHandler: boolean;
  handle(event: BatonEvent, ctx: HandlerContext): Promise<void>;
}

/** One consumer to start: what `MessageBus.subscribe` takes. */
export interface PlannedGroup {
  groupId: string;
  topics: string[];
  handlers: EventHandlers;
  fromBeginning?: boolean;
  shutdownPhase: number;
  concurrency?: number;
}

/** A handler declaration the transport cannot serve; the service must not start with it. */
export class HandlerDeclarationError extends Error {
  override readonly name = 'HandlerDeclarationError';
}

interface Group {
  name: string;
  types: Map<BatonEventType, RegisteredHandler['handle']>;
  settings: Omit<EventHandlerOptions, 'group'>;
}

/**
 * The consumers that serve `handlers`: one per group, the topics of a group being those of
 * its handlers' event types (contracts' topicsOfType), unless `groups` splits it. Pure; every
 * problem found is reported at once.
 */
export function planConsumerGroups(handlers: readonly RegisteredHandler[], defaultGroup: string, groups: ConsumerGroups = new ConsumerGroups()): PlannedGroup[] {
  const problems: string[] = [];
  const byName = new Map<string, Group>();
  for (const h of handlers) {
    const type = h.pattern;
    if (!h.isEventHandler) {
      problems.push(`${describe(type)}: @MessagePattern (request-reply) is not served over Kafka; declare @EventPattern and answer with an event`);
      continue;
    }
    if (!isEventType(type)) {
      problems.push(`${describe(type)}: an @EventPattern must name a Baton event type`);
      continue;
    }
    const parsed = HandlerOptions.safeParse(h.extras ?? {});
    if (!parsed.success) {
      problems.push(`${type}: bad handler options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      continue;
    }
    const { group: name = defaultGroup, ...settings } = parsed.data;
    let group = byName.get(name);
    if (!group) {
      group = { name, types: new Map(), settings: {} };
      byName.set(name, group);
    }
    if (group.types.has(type)) {
      problems.push(`${type}: two handlers in group ${name}; one event type has one handler per group`);
      continue;
    }
    group.types.set(type, h.handle);
    for (const key of ['fromBeginning', 'shutdownPhase', 'concurrency'] as const) {
      const value = settings[key];
      if (value === undefined) continue;
      if (group.settings[key] !== undefined && group.settings[key] !== value) {
        problems.push(`group ${name}: its handlers disagree on ${key} (${String(group.settings[key])} and ${String(value)})`);
      } else {
        (group.settings as Record<string, unknown>)[key] = value;
      }
    }
  }
  for (const name of Object.keys(groups.byName)) {
    if (!byName.has(name)) problems.push(`group ${name} is configured but no handler declares it`);
  }

  const planned: PlannedGroup[] = [];
  for (const group of byName.values()) {
    const topics = [...new Set([...group.types.keys()].flatMap((t) => topicsOfType(t)))];
    const handlers = Object.fromEntries(group.types) as EventHandlers;
    const members = groups.byName[group.name] ?? [{ groupId: group.name }];
    if (members.length === 0) problems.push(`group ${group.name} is configured with no consumer`);
    for (const member of members) {
      const stray = (member.topics ?? []).filter((t) => !topics.includes(t));
      if (stray.length) problems.push(`group ${group.name} (${member.groupId}): ${stray.join(', ')} carry none of its handlers' events (${topics.join(', ')})`);
      planned.push({
        groupId: member.groupId,
        topics: member.topics ? [...member.topics] : topics,
        handlers,
        shutdownPhase: group.settings.shutdownPhase ?? 0,
        ...(group.settings.fromBeginning !== undefined ? { fromBeginning: group.settings.fromBeginning } : {}),
        ...(group.settings.concurrency !== undefined ? { concurrency: group.settings.concurrency } : {}),
      });
    }
  }
  const ids = planned.map((p) => p.groupId);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`consumer group id ${id} is used by two groups`);
  if (problems.length) throw new HandlerDeclarationError(`event handlers cannot be served:\n- ${problems.join('\n- ')}`);
  return planned;
}

function describe(pattern: unknown): string {
  return typeof pattern === 'string' ? pattern : JSON.stringify(pattern) ?? String(pattern);
}
