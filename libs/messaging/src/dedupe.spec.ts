import { InMemoryDedupeStore, RecentIds } from './dedupe';

describe('RecentIds', () => {
  it('forgets the least recently seen id beyond capacity', () => {
    const ids = new RecentIds(2);
    ids.add('a');
    ids.add('b');
    expect(ids.has('a')).toBe(true); // a is now the most recent
    ids.add('c');
    expect(ids.has('b')).toBe(false);
    expect(ids.has('a')).toBe(true);
    expect(ids.has('c')).toBe(true);
    expect(ids.size).toBe(2);
  });

  it('rejects a capacity below one', () => {
    expect(() => new RecentIds(0)).toThrow(RangeError);
  });
});

describe('InMemoryDedupeStore', () => {
  it('tracks ids per consumer group', async () => {
    const store = new InMemoryDedupeStore();
    await store.markDone('router', 'e1');
    expect(await store.isDone('router', 'e1')).toBe(true);
    expect(await store.isDone('planner', 'e1')).toBe(false);
    expect(await store.isDone('router', 'e2')).toBe(false);
  });
});
