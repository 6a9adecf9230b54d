import { luaScript } from '../lua/lua-script';

/** Giving back a redrive that did not send. */
export interface RedriveAbandonInput {
  /** The dead letter's redrive key (RedriveLog). */
  key: string;
  /** The pending entry the caller took it with, as stored (JSON). */
  pending: string;
}

/** Deletes the key if it still holds the caller's pending entry; true when it did. */
export const redriveAbandonScript = luaScript({
  command: 'batonRedriveAbandon',
  numberOfKeys: 1,
  lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
  call: (i: RedriveAbandonInput) => ({ keys: [i.key], argv: [i.pending] }),
  reply: (deleted: number) => deleted === 1,
});
