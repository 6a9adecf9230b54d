import type { ToolVerdict } from '@baton/contracts';
import { VerdictInbox } from './verdict-inbox';

const verdict = (over: Partial<ToolVerdict['data']> = {}): ToolVerdict['data'] => ({
  stepId: 'main',
  attempt: 1,
  callId: 'c1',
  tool: 'crm_get_account',
  replyTo: 'agent-a',
  decision: 'allow',
  reason: 'rule 1',
  unredact: [],
  unredactFields: [],
  ...over,
});

describe('VerdictInbox', () => {
  it('hands a verdict addressed to this instance to the call waiting for it', async () => {
    const inbox = new VerdictInbox('agent-a');
    const waiting = inbox.expect('c1', 10_000);
    expect(inbox.deliver(verdict())).toBe(true);
    await expect(waiting).resolves.toMatchObject({ callId: 'c1', decision: 'allow' });
    expect(inbox.pending).toBe(0);
  });

  it('ignores verdicts for other instances and for calls nobody waits on', async () => {
    const inbox = new VerdictInbox('agent-a');
    const waiting = inbox.expect('c1', 50);
    expect(inbox.deliver(verdict({ replyTo: 'agent-b' }))).toBe(false);
    expect(inbox.deliver(verdict({ callId: 'c2' }))).toBe(false);
    await expect(waiting).resolves.toBeNull();
  });

  it('fails closed: no verdict in time resolves null and a late verdict is dropped', async () => {
    const inbox = new VerdictInbox('agent-a');
    await expect(inbox.expect('c1', 10)).resolves.toBeNull();
    expect(inbox.deliver(verdict())).toBe(false);
  });

  it('refuses to wait twice on one call', () => {
    const inbox = new VerdictInbox('agent-a');
    void inbox.expect('c1', 10);
    expect(() => inbox.expect('c1', 10)).toThrow(/already waiting/);
  });
});
