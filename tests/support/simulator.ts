/**
 * Calls the simulator's scripting API (`/_sim/...`) at `base` (the simulator URL without
 * `/v1`): fails the test on an error status, answers the JSON body (null for 204).
 */
export function simulatorApi(base: () => string): (method: string, route: string, body?: unknown) => Promise<unknown> {
  return async (method, route, body) => {
    const res = await fetch(`${base()}${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`simulator ${method} ${route} answered ${res.status}: ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  };
}
