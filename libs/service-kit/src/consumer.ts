import type { MessageBus, SubscribeOptions, Subscription } from '@baton/messaging';
import type { Readiness } from './readiness';

/** Subscribes and marks the service ready for this group once it has joined. */
export async function startConsumer(bus: MessageBus, readiness: Readiness, opts: SubscribeOptions): Promise<Subscription> {
  const what = `consumer group ${opts.groupId}`;
  readiness.expect(what);
  const sub = await bus.subscribe(opts);
  readiness.complete(what);
  return sub;
}
