import { RuleError, RulesEngine } from './rules-engine';

const req = (text: string, model = 'sim-mini') => ({ model, texts: ['system prompt', text] });

describe('RulesEngine', () => {
  it('answers nothing without rules', () => {
    expect(new RulesEngine().next(req('hi'))).toEqual({ kind: 'none' });
  });

  it('hands out a rule’s replies in order, then fails loudly instead of falling through', () => {
    const engine = new RulesEngine();
    engine.add({ id: 'fallback', match: {}, replies: [{ content: 'older' }], repeat: true });
    engine.add({ id: 'two', match: { contains: 'lead' }, replies: [{ content: 'first' }, { json: { ok: true } }] });
    expect(engine.next(req('a lead'))).toEqual({ kind: 'reply', ruleId: 'two', replyIndex: 0, reply: { content: 'first' } });
    expect(engine.next(req('a lead'))).toEqual({ kind: 'reply', ruleId: 'two', replyIndex: 1, reply: { json: { ok: true } } });
    expect(engine.next(req('a lead'))).toEqual({ kind: 'exhausted', ruleId: 'two' });
    expect(engine.next(req('something else'))).toMatchObject({ kind: 'reply', ruleId: 'fallback' });
  });

  it('cycles the replies of a repeating rule forever', () => {
    const engine = new RulesEngine();
    engine.add({ match: {}, replies: [{ content: 'a' }, { fault: 429 }], repeat: true });
    const indexes = Array.from({ length: 5 }, () => {
      const o = engine.next(req('x'));
      return o.kind === 'reply' ? o.replyIndex : -1;
    });
    expect(indexes).toEqual([0, 1, 0, 1, 0]);
  });

  it('checks the newest rule first', () => {
    const engine = new RulesEngine();
    engine.add([
      { id: 'old', match: { model: 'sim-mini' }, replies: [{ content: 'old' }], repeat: true },
      { id: 'new', match: { model: 'sim-mini' }, replies: [{ content: 'new' }], repeat: true },
    ]);
    expect(engine.next(req('x'))).toMatchObject({ ruleId: 'new' });
  });

  it('requires every condition of a match', () => {
    const engine = new RulesEngine();
    engine.add({ id: 'both', match: { model: 'sim-large', contains: 'resume' }, replies: [{ content: 'x' }], repeat: true });
    expect(engine.next(req('resume', 'sim-mini'))).toEqual({ kind: 'none' });
    expect(engine.next(req('cover letter', 'sim-large'))).toEqual({ kind: 'none' });
    expect(engine.next(req('my resume', 'sim-large'))).toMatchObject({ kind: 'reply', ruleId: 'both' });
  });

  it('matches `contains` against any message', () => {
    const engine = new RulesEngine();
    engine.add({ id: 'sys', match: { contains: 'system prompt' }, replies: [{ content: 'x' }] });
    expect(engine.next(req('unrelated'))).toMatchObject({ kind: 'reply', ruleId: 'sys' });
  });

  it('names rules without an id and lets `match` be left out', () => {
    const engine = new RulesEngine();
    expect(engine.add([{ replies: [{ content: 'a' }] }, { replies: [{ content: 'b' }] }])).toEqual(['rule-1', 'rule-2']);
    expect(engine.list().map((r) => [r.id, r.used])).toEqual([
      ['rule-1', 0],
      ['rule-2', 0],
    ]);
  });

  it.each([
    ['no replies', { match: {}, replies: [] }, /replies/],
    ['a reply with two kinds', { match: {}, replies: [{ content: 'a', fault: 429 }] }, /replies\.0/],
    ['an unknown fault', { match: {}, replies: [{ fault: 418 }] }, /replies\.0/],
    ['an unknown match field', { match: { prompt: 'x' }, replies: [{ content: 'a' }] }, /match/],
    ['tool calls with string arguments', { match: {}, replies: [{ toolCalls: [{ name: 'f', arguments: '{}' }] }] }, /replies\.0/],
    ['a negative latency', { match: {}, replies: [{ content: 'a', latencyMs: -1 }] }, /replies\.0/],
    ['not an object', 'hello', /invalid rule #0/],
  ])('refuses %s', (_name, rule, message) => {
    const engine = new RulesEngine();
    expect(() => engine.add(rule)).toThrow(RuleError);
    expect(() => engine.add(rule)).toThrow(message);
  });

  it('adds nothing from a list with one bad rule, and refuses duplicate ids', () => {
    const engine = new RulesEngine();
    expect(() => engine.add([{ id: 'ok', replies: [{ content: 'a' }] }, { replies: [] }])).toThrow(/invalid rule #1/);
    expect(engine.list()).toEqual([]);
    engine.add({ id: 'dup', replies: [{ content: 'a' }] });
    expect(() => engine.add({ id: 'dup', replies: [{ content: 'b' }] })).toThrow(/already loaded/);
    engine.clear();
    expect(engine.add({ id: 'dup', replies: [{ content: 'b' }] })).toEqual(['dup']);
  });
});
