import { ModelCatalog } from '@baton/llm';
import { StateStore } from '@baton/state';

/**
 * Closes the circuit breaker of every catalog model. Breakers live in the shared Redis on
 * purpose (every replica agrees), so a system test that makes models fail would otherwise
 * leave them open for the next test file.
 */
export async function resetModelBreakers(): Promise<void> {
  const state = await StateStore.connect(process.env.REDIS_URL ?? 'redis://127.0.0.1:6399', { name: 'system-test-breakers' });
  try {
    await Promise.all(ModelCatalog.fromFile().list().map((m) => state.breakers.reset(m.id)));
  } finally {
    await state.close();
  }
}
