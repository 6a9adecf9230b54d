import { randomUUID } from 'node:crypto';
import { useStateTestEnv } from '../testing/redis-test-env';

describe('RedriveLog (real Redis)', () => {
  const env = useStateTestEnv('redrive-int');
  const to = { topic: 'baton.task.submitted', partition: 1, offset: '7' };

  it('lets one redrive of a dead letter begin, and refuses the next with the first one\'s entry', async () => {
    const dlt = `baton.dlt.${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => env.store.redrives.begin(dlt, 0, '41', `api:t${i}`)));
    expect(results.filter((r) => r.begun)).toHaveLength(1);
    const winner = results.find((r) => r.begun)!;
    await env.store.redrives.finish(dlt, 0, '41', winner.entry.by, to);
    expect(await env.store.redrives.begin(dlt, 0, '41', 'api:late')).toMatchObject({ begun: false, entry: { state: 'done', by: winner.entry.by, to } });
  });

  it('gives back a redrive that did not send, so the next try begins', async () => {
    const dlt = `baton.dlt.${randomUUID()}`;
    const first = await env.store.redrives.begin(dlt, 2, '0', 'api:acme');
    expect(first.begun).toBe(true);
    await env.store.redrives.abandon(dlt, 2, '0', first.entry);
    expect(await env.store.redrives.get(dlt, 2, '0')).toBeNull();
    expect((await env.store.redrives.begin(dlt, 2, '0', 'api:acme')).begun).toBe(true);
  });
});
