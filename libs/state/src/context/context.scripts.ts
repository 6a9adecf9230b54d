import { luaScript } from '../lua/lua-script';

/** A compare-and-set of one value of a task's context; see saveIfRevisionScript. */
export interface SaveIfRevisionInput {
  /** KeySpace.taskContext. */
  contextKey: string;
  /** Field of the value. */
  valueField: string;
  /** Field of its revision. */
  revisionField: string;
  /** Revision the caller read (0: none stored yet). */
  expectedRevision: number;
  /** The value, JSON. */
  value: string;
  /** Field/value pairs written with it (unversioned). */
  along: readonly string[];
}

/**
 * Writes the value (and the pairs) and bumps the revision only when the stored revision is
 * the expected one. Answers the new revision, or null (nothing written) on a mismatch.
 *
 * Not made idempotent with an op id on purpose: when ioredis re-sends a save whose reply
 * was lost, the re-send sees a mismatch and the caller reloads; the value it finds is its
 * own write, and callers record which causes a value already holds (the planner's applied
 * event ids), so they act on what is stored instead of writing twice.
 */
export const saveIfRevisionScript = luaScript({
  command: 'batonSaveIfRevision',
  numberOfKeys: 1,
  lua: `
local cur = redis.call('HGET', KEYS[1], ARGV[2]) or '0'
if cur ~= ARGV[3] then return -1 end
local nxt = tonumber(cur) + 1
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4], ARGV[2], tostring(nxt))
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return nxt
`,
  call: (i: SaveIfRevisionInput) => ({
    keys: [i.contextKey],
    argv: [i.valueField, i.revisionField, String(i.expectedRevision), i.value, ...i.along],
  }),
  reply: (revision: number) => (revision < 0 ? null : revision),
});
