/**
 * Checks a Redis URL and returns it with any password masked, for error messages and
 * logs. Throws a clear error for anything that is not a redis:// or rediss:// URL.
 */
export function describeRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`not a Redis URL: ${JSON.stringify(url)} (expected redis://host:port)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new TypeError(`not a Redis URL: ${parsed.protocol}// (expected redis:// or rediss://)`);
  }
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
