/** Test helpers of the state lib, for other projects' integration specs. */
export { TEST_REDIS_URL, deletePrefix, rawClient, uniquePrefix, useStateTestEnv, type StateTestEnv, type StateTestEnvOptions } from './testing/redis-test-env';
export { ReplyDroppingProxy } from './testing/reply-dropping-proxy';
