import { FAKE_SECRETS } from './testing';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_OUTPUT_RULES, OutputRulesConfig, applyOutputRules, hostAllowed, strictest } from './output-rules';
import { PiiRedactor } from './pii';

describe('OutputRulesConfig', () => {
  it('fills sane defaults', () => {
    expect(DEFAULT_OUTPUT_RULES).toEqual({
      leaks: { pii: 'redact', secrets: 'block', kinds: {} },
      links: { action: 'pass', allowedHosts: [] },
      canaries: { action: 'block', values: [] },
    });
  });

  it('reads the YAML shape and normalises host patterns', () => {
    const yaml = `
leaks: { pii: redact, secrets: escalate, kinds: { ip: pass } }
links:
  action: block
  allowedHosts: [Docs.Example.com, '*.acme.test']
canaries: { values: [CANARY-7f3a9c] }
`;
    expect(OutputRulesConfig.parse(parseYaml(yaml))).toEqual({
      leaks: { pii: 'redact', secrets: 'escalate', kinds: { ip: 'pass' } },
      links: { action: 'block', allowedHosts: ['docs.example.com', '*.acme.test'] },
      canaries: { action: 'block', values: ['CANARY-7f3a9c'] },
    });
  });

  it.each([
    ['an unknown action', { leaks: { pii: 'delete' } }],
    ['an unknown key', { leak: { pii: 'redact' } }],
    ['an unknown kind', { leaks: { kinds: { ssn: 'pass' } } }],
    ['a host with a path', { links: { allowedHosts: ['example.com/docs'] } }],
    ['a wildcard in the middle', { links: { allowedHosts: ['docs.*.com'] } }],
    ['a short canary', { canaries: { values: ['abc'] } }],
  ])('refuses %s', (_why, raw) => expect(OutputRulesConfig.safeParse(raw).success).toBe(false));
});

describe('strictest', () => {
  it('orders escalate > block > reask > redact > pass', () => {
    expect(strictest([])).toBe('pass');
    expect(strictest(['redact', 'pass'])).toBe('redact');
    expect(strictest(['redact', 'reask'])).toBe('reask');
    expect(strictest(['reask', 'block', 'redact'])).toBe('block');
    expect(strictest(['block', 'escalate', 'pass'])).toBe('escalate');
  });
});

describe('hostAllowed', () => {
  const allowed = ['docs.example.com', '*.acme.test'];
  it.each(['docs.example.com', 'DOCS.example.com.', 'a.acme.test', 'x.y.acme.test'])('allows %s', (h) => expect(hostAllowed(h, allowed)).toBe(true));
  it.each(['example.com', 'evil-docs.example.com', 'acme.test', 'evilacme.test', 'acme.test.evil.com'])('refuses %s', (h) => expect(hostAllowed(h, allowed)).toBe(false));
});

describe('applyOutputRules: leaks', () => {
  it('passes clean output unchanged', () => {
    expect(applyOutputRules('The lead looks qualified.')).toEqual({ action: 'pass', output: 'The lead looks qualified.', findings: [] });
  });

  it('redacts personal data by default', () => {
    const out = applyOutputRules('Contact dana@initech.example or +1 415 555 2671.');
    expect(out.action).toBe('redact');
    expect(out.output).toBe('Contact [EMAIL_1] or [PHONE_1].');
    expect(out.findings).toEqual([
      { rule: 'pii', kind: 'email', detail: 'value not in the input', action: 'redact' },
      { rule: 'pii', kind: 'phone', detail: 'value not in the input', action: 'redact' },
    ]);
  });

  it('blocks secrets by default, still redacting what is to be redacted, and never echoes the secret', () => {
    const key = FAKE_SECRETS.openai;
    const out = applyOutputRules(`Use ${key} and mail dana@initech.example`);
    expect(out.action).toBe('block');
    expect(out.output).toBe(`Use ${key} and mail [EMAIL_1]`);
    expect(JSON.stringify(out.findings)).not.toContain(key);
    expect(out.findings.map((f) => [f.rule, f.kind, f.action])).toEqual([
      ['secret', 'secret', 'block'],
      ['pii', 'email', 'redact'],
    ]);
  });

  it('reuses the input placeholders when given the task vault', () => {
    const redactor = new PiiRedactor();
    redactor.redact('Buyer: dana@initech.example, backup ops@initech.example');
    const out = applyOutputRules('Reply to ops@initech.example and cc new@initech.example', {}, { vault: redactor.vault() });
    expect(out.output).toBe('Reply to [EMAIL_2] and cc [EMAIL_3]');
    expect(out.findings.map((f) => f.detail)).toEqual(['value of [EMAIL_2] from the input', 'value not in the input']);
  });

  it('applies per-kind overrides', () => {
    const out = applyOutputRules('Server 10.0.0.1, owner dana@initech.example', { leaks: { pii: 'reask', kinds: { ip: 'pass' } } });
    expect(out.action).toBe('reask');
    expect(out.output).toBe('Server 10.0.0.1, owner dana@initech.example');
    expect(out.findings.map((f) => [f.kind, f.action])).toEqual([
      ['ip', 'pass'],
      ['email', 'reask'],
    ]);
  });

  it('does not flag placeholders that are already in the output', () => {
    expect(applyOutputRules('Write to [EMAIL_1] about [CARD_1].').findings).toEqual([]);
  });

  it('checks JSON output, keys included, without modifying it', () => {
    const output = { summary: 'Call +1 415 555 2671', contacts: [{ 'dana@initech.example': true }], score: 7 };
    const before = structuredClone(output);
    const out = applyOutputRules(output);
    expect(out.output).toEqual({ summary: 'Call [PHONE_1]', contacts: [{ '[EMAIL_1]': true }], score: 7 });
    expect(output).toEqual(before);
  });
});

describe('applyOutputRules: links', () => {
  const rules = { links: { action: 'redact' as const, allowedHosts: ['docs.example.com', '*.acme.test'] } };

  it('leaves links alone with the default pass', () => {
    expect(applyOutputRules('see https://evil.example/x').findings).toEqual([]);
  });

  it('keeps links to allowed hosts, relative links and mailto/tel links', () => {
    const text = 'See [setup](https://docs.example.com/setup), ![logo](https://cdn.acme.test/l.png), [faq](/faq), [mail](mailto:x@y.z) and https://www.acme.test/p.';
    expect(applyOutputRules(text, { ...rules, leaks: { pii: 'pass' } })).toEqual({ action: 'pass', output: text, findings: expect.any(Array) });
    expect(applyOutputRules(text, { ...rules, leaks: { pii: 'pass' } }).findings.filter((f) => f.rule === 'link')).toEqual([]);
  });

  it.each([
    ['markdown link', 'Read [the guide](https://evil.example/guide).', 'Read the guide.', 'link', 'evil.example'],
    ['markdown image', 'Chart: ![q3](https://evil.example/p.png?d=secret)', 'Chart: q3', 'image', 'evil.example'],
    ['bare URL', 'Go to https://evil.example/a?b=c.', 'Go to [link removed].', 'url', 'evil.example'],
    ['www URL', 'Visit www.evil.example/offer now', 'Visit [link removed] now', 'url', 'www.evil.example'],
    ['HTML link', 'Click <a href="https://evil.example/x">here</a>!', 'Click here!', 'html_link', 'evil.example'],
    ['HTML image', 'Pixel <img src="https://evil.example/t.gif" width=1>.', 'Pixel .', 'html_image', 'evil.example'],
    ['apex of a wildcard', 'See https://acme.test/', 'See [link removed]', 'url', 'acme.test'],
    ['userinfo trick', 'See https://docs.example.com@evil.example/', 'See [link removed]', 'url', 'evil.example'],
    ['protocol-relative image', '![x](//evil.example/p.png)', 'x', 'image', 'evil.example'],
    ['javascript: link', '[click](javascript:alert(1))', 'click', 'link', 'javascript:'],
    ['link with parentheses', '[A](https://en.wikipedia.org/wiki/A_(b))', 'A', 'link', 'en.wikipedia.org'],
  ])('removes a %s to a host not allowed', (_name, text, expected, kind, detail) => {
    const out = applyOutputRules(text, rules);
    expect(out.action).toBe('redact');
    expect(out.output).toBe(expected);
    expect(out.findings).toEqual([{ rule: 'link', kind, detail, action: 'redact' }]);
  });

  it('blocks instead of redacting when so configured, and leaves the output as it is', () => {
    const out = applyOutputRules('![x](https://evil.example/p.png)', { links: { action: 'block', allowedHosts: [] } });
    expect(out).toEqual({ action: 'block', output: '![x](https://evil.example/p.png)', findings: [{ rule: 'link', kind: 'image', detail: 'evil.example', action: 'block' }] });
  });
});

describe('applyOutputRules: canaries', () => {
  it('finds a canary whatever its case, and through zero-width characters', () => {
    const out = applyOutputRules('prefix canary-7F3A\u200b9C suffix', { canaries: { values: ['CANARY-7f3a9c'], action: 'redact' } });
    expect(out).toEqual({ action: 'redact', output: 'prefix [REDACTED] suffix', findings: [{ rule: 'canary', kind: 'canary', detail: 'canary #1', action: 'redact' }] });
  });

  it('takes canaries from the call as well, blocks by default, and never echoes them', () => {
    const out = applyOutputRules({ answer: 'the secret word is ZEBRA-42-QUILL' }, {}, { canaries: ['zebra-42-quill'] });
    expect(out.action).toBe('block');
    expect(JSON.stringify(out.findings)).not.toMatch(/zebra/i);
  });

  it('treats regex characters in a canary literally', () => {
    expect(applyOutputRules('a+b.c', {}, { canaries: ['(a+b)'] }).findings).toEqual([]);
    expect(applyOutputRules('x (a+b) y', {}, { canaries: ['(a+b)'] }).action).toBe('block');
  });

  it('escalates over everything else', () => {
    const out = applyOutputRules(`CANARY-1234 at https://evil.example ${FAKE_SECRETS.stripe}`, {
      canaries: { values: ['CANARY-1234'], action: 'escalate' },
      links: { action: 'reask' },
    });
    expect(out.action).toBe('escalate');
    expect(new Set(out.findings.map((f) => f.rule))).toEqual(new Set(['canary', 'link', 'secret']));
  });
});

describe('applyOutputRules on a large output', () => {
  it('handles 200 kB of links and near-misses correctly', () => {
    const chunk = '[a](https://docs.example.com/x) ![b](https://evil.example/y) <a href="x" '.repeat(2_000);
    const text = `${chunk}${'['.repeat(20_000)}${'<a '.repeat(10_000)}${'https://'.repeat(5_000)}`;
    expect(text.length).toBeGreaterThanOrEqual(200_000);
    const out = applyOutputRules(text, { links: { action: 'block', allowedHosts: ['docs.example.com'] }, leaks: { pii: 'pass' } });
    expect(out.action).toBe('block');
    expect(out.findings.filter((f) => f.kind === 'image')).toHaveLength(2_000);
    expect(out.findings.filter((f) => f.kind === 'link')).toHaveLength(0);
  });
});
