import { buildShadowReport, latencyMs, percentile, sidesAgree, type ShadowPair, type ShadowSide } from './shadow-report';

const T0 = '2025-03-01T10:00:00.000Z';
const after = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

function side(over: Partial<ShadowSide> = {}): ShadowSide {
  return { status: 'completed', result: { text: 'ok' }, createdAt: T0, updatedAt: after(1000), attempts: 1, model: 'sim-mini', costMicros: 100, ...over };
}

const pair = (taskId: string, live: ShadowSide | null, shadow: ShadowSide | null): ShadowPair => ({ taskId, live, shadow });

describe('buildShadowReport', () => {
  it('answers zeros and nulls for an empty index, never NaN', () => {
    const r = buildShadowReport([]);
    expect(r.tasks).toEqual({ indexed: 0, compared: 0, pending: 0, missing: 0 });
    expect(r.agreement).toEqual({ agreed: 0, rate: null, statusAgreed: 0, statusRate: null });
    expect(r.live).toEqual({
      statuses: {},
      models: {},
      costMicros: { total: 0, mean: null },
      latencyMs: { p50: null, p90: null },
      escalationRate: null,
      failureRate: null,
    });
    expect(r.disagreements).toEqual([]);
  });

  it('compares only tasks settled on both sides, counting the others as pending or missing', () => {
    const r = buildShadowReport([
      pair('a', side(), side()),
      pair('b', side(), side({ status: 'running', result: undefined })),
      pair('c', side({ status: 'routed' }), side({ status: 'escalated' })),
      pair('d', side(), null),
      pair('e', null, side()),
    ]);
    expect(r.tasks).toEqual({ indexed: 5, compared: 1, pending: 2, missing: 2 });
  });

  it('agrees on same status and deep-equal result, and lists every disagreement with both sides', () => {
    const r = buildShadowReport([
      pair('same', side({ result: { a: 1, b: [1, 2] } }), side({ result: { b: [1, 2], a: 1 }, model: 'sim-reasoner' })),
      pair('other-result', side({ result: { text: 'live' } }), side({ result: { text: 'shadow' }, model: 'sim-reasoner' })),
      pair(
        'other-status',
        side(),
        side({ status: 'escalated', result: undefined, error: { kind: 'policy', code: 'attempts_exhausted', message: 'x' }, model: 'sim-reasoner' }),
      ),
      pair('both-failed', side({ status: 'failed', result: undefined }), side({ status: 'failed', result: undefined })),
    ]);
    expect(r.agreement).toEqual({ agreed: 2, rate: 0.5, statusAgreed: 3, statusRate: 0.75 });
    expect(r.disagreements).toEqual([
      {
        taskId: 'other-result',
        statusAgrees: true,
        live: { status: 'completed', model: 'sim-mini', result: '{"text":"live"}' },
        shadow: { status: 'completed', model: 'sim-reasoner', result: '{"text":"shadow"}' },
      },
      {
        taskId: 'other-status',
        statusAgrees: false,
        live: { status: 'completed', model: 'sim-mini', result: '{"text":"ok"}' },
        shadow: { status: 'escalated', model: 'sim-reasoner', error: 'attempts_exhausted' },
      },
    ]);
  });

  it('sums and averages each side\'s spend, and rates escalations and failures per side', () => {
    const r = buildShadowReport([
      pair('1', side({ costMicros: 10 }), side({ costMicros: 1000, model: 'sim-reasoner' })),
      pair('2', side({ costMicros: 20 }), side({ costMicros: 2001, model: 'sim-reasoner' })),
      pair('3', side({ costMicros: 30, status: 'failed' }), side({ costMicros: 0, status: 'escalated', model: 'sim-reasoner' })),
    ]);
    expect(r.live.costMicros).toEqual({ total: 60, mean: 20 });
    expect(r.shadow.costMicros).toEqual({ total: 3001, mean: 1000 });
    expect(r.live.statuses).toEqual({ completed: 2, failed: 1 });
    expect(r.shadow.statuses).toEqual({ completed: 2, escalated: 1 });
    expect(r.live.models).toEqual({ 'sim-mini': 3 });
    expect(r.shadow.models).toEqual({ 'sim-reasoner': 3 });
    expect(r.live.failureRate).toBe(0.3333);
    expect(r.live.escalationRate).toBe(0);
    expect(r.shadow.escalationRate).toBe(0.3333);
    expect(r.shadow.failureRate).toBe(0);
  });

  it('measures latency per side from createdAt to updatedAt', () => {
    const r = buildShadowReport(
      [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].map((ms, i) =>
        pair(String(i), side({ updatedAt: after(ms) }), side({ updatedAt: after(ms * 10) })),
      ),
    );
    expect(r.live.latencyMs).toEqual({ p50: 500, p90: 900 });
    expect(r.shadow.latencyMs).toEqual({ p50: 5000, p90: 9000 });
  });

  it('counts a task without a model as unrouted and cuts long results in the disagreement list', () => {
    const long = { text: 'x'.repeat(500) };
    const r = buildShadowReport([pair('r', side({ status: 'rejected', model: undefined, result: long }), side({ status: 'rejected', model: undefined }))]);
    expect(r.live.models).toEqual({ unrouted: 1 });
    const [d] = r.disagreements;
    expect(d!.live.result!.length).toBe(160);
    expect(d!.live.result!.endsWith('…')).toBe(true);
  });
});

describe('helpers', () => {
  it('percentile is nearest-rank', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2);
    expect(percentile([4, 1, 3, 2], 90)).toBe(4);
  });

  it('latencyMs never goes negative and is null for a bad timestamp', () => {
    expect(latencyMs({ createdAt: T0, updatedAt: after(250) })).toBe(250);
    expect(latencyMs({ createdAt: after(5), updatedAt: T0 })).toBe(0);
    expect(latencyMs({ createdAt: 'nope', updatedAt: T0 })).toBeNull();
  });

  it('sidesAgree needs the same status and result', () => {
    expect(sidesAgree(side(), side({ model: 'other', costMicros: 9 }))).toBe(true);
    expect(sidesAgree(side(), side({ status: 'failed' }))).toBe(false);
  });
});
