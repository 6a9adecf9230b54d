/**
 * Test helpers for code that uses the state lib: a StateStore under a fresh key prefix,
 * cleaned up afterwards. Import from `@baton/state/testing` in tests only.
 */
export { TEST_REDIS_URL, deletePrefix, rawClient, uniquePrefix, useStateTestEnv, type StateTestEnv, type StateTestEnvOptions } from './testing/redis-test-env';
export { ReplyDroppingProxy } from './testing/reply-dropping-proxy';
