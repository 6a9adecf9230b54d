/**
 * Test helpers for code that uses the state lib: a StateStore under a fresh key prefix,
 * cleaned up afterwards. Import from `@baton/state/testing` in tests only.
 */
export { TEST_REDIS_URL, useStateTestEnv, type StateTestEnv, type StateTestEnvOptions } from './testing/redis-test-env';
