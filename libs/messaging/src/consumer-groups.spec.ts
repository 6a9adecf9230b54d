import { Topics, stepRequestedTopic } from '@baton/contracts';
import { ConsumerGroups, HandlerDeclarationError, planConsumerGroups, type RegisteredHandler } from './consumer-groups';

const handle = async (): Promise<void> => undefined;
const on = (pattern: unknown, extras?: Record<string, unknown>, isEventHandler = true): RegisteredHandler => ({ pattern, extras, isEventHandler, handle });

describe('planConsumerGroups', () => {
  it('puts handlers that name no group in the default group, on the topics of their event types', () => {
    const [group, ...rest] = planConsumerGroups([on('task.admitted'), on('plan.proposed')], 'router');
    expect(rest).toEqual([]);
    expect(group).toEqual({ groupId: 'router', topics: [Topics.taskAdmitted, Topics.planProposed], handlers: { 'task.admitted': handle, 'plan.proposed': handle }, shutdownPhase: 0 });
  });

  it('gives each named group its own consumer, with the settings its handlers declare', () => {
    const planned = planConsumerGroups(
      [on('task.submitted'), on('tool.proposed', { group: 'guardrails-tools' }), on('tool.verdict', { group: 'verdicts', fromBeginning: false, shutdownPhase: 1, concurrency: 2 })],
      'guardrails',
    );
    expect(planned.map((p) => [p.groupId, p.topics])).toEqual([
      ['guardrails', [Topics.taskSubmitted]],
      ['guardrails-tools', [Topics.toolProposed]],
      ['verdicts', [Topics.toolVerdict]],
    ]);
    expect(planned[2]).toMatchObject({ fromBeginning: false, shutdownPhase: 1, concurrency: 2 });
    expect('fromBeginning' in planned[0]!).toBe(false);
  });

  it('reads a payload-keyed type on every topic it may come on, and splits a configured group into its members', () => {
    expect(planConsumerGroups([on('step.requested', { group: 'steps' })], 'agent')[0]!.topics).toContain(stepRequestedTopic('sales'));
    const groups = new ConsumerGroups({ steps: [{ groupId: 'agent-general', topics: [stepRequestedTopic('general')] }, { groupId: 'agent-sales', topics: [stepRequestedTopic('sales')] }] });
    expect(planConsumerGroups([on('step.requested', { group: 'steps' })], 'agent', groups).map((p) => [p.groupId, p.topics])).toEqual([
      ['agent-general', [stepRequestedTopic('general')]],
      ['agent-sales', [stepRequestedTopic('sales')]],
    ]);
  });

  it('reports every declaration it cannot serve at once', () => {
    const groups = new ConsumerGroups({ ghosts: [{ groupId: 'ghosts' }], steps: [{ groupId: 'agent-x', topics: [Topics.taskRouted] }] });
    let error: unknown;
    try {
      planConsumerGroups(
        [
          on('task.teleported'),
          on({ cmd: 'sum' }),
          on('task.routed', undefined, false),
          on('task.admitted', { gruop: 'typo' }),
          on('task.failed'),
          on('task.failed'),
          on('audit.recorded', { group: 'a', shutdownPhase: 0 }),
          on('budget.low', { group: 'a', shutdownPhase: 1 }),
          on('step.requested', { group: 'steps' }),
        ],
        'svc',
        groups,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HandlerDeclarationError);
    const message = (error as Error).message;
    for (const part of [
      'task.teleported: an @EventPattern must name a Baton event type',
      '{"cmd":"sum"}: an @EventPattern must name a Baton event type',
      'task.routed: @MessagePattern (request-reply) is not served over Kafka',
      'task.admitted: bad handler options',
      'task.failed: two handlers in group svc',
      'group a: its handlers disagree on shutdownPhase (0 and 1)',
      'group ghosts is configured but no handler declares it',
      `group steps (agent-x): ${Topics.taskRouted} carry none of its handlers' events`,
    ]) {
      expect(message).toContain(part);
    }
  });

  it('refuses two groups under one consumer group id', () => {
    const groups = new ConsumerGroups({ b: [{ groupId: 'a' }] });
    expect(() => planConsumerGroups([on('audit.recorded', { group: 'a' }), on('budget.low', { group: 'b' })], 'svc', groups)).toThrow('consumer group id a is used by two groups');
  });
});
