import { ATTACK_CATEGORIES, BENIGN_CATEGORIES, generateInjectionCorpus } from './corpus/injection-corpus';
import { PII_HOLDOUT_TEMPLATES, generatePiiCorpus } from './corpus/pii-corpus';
import { evaluateInjection, evaluatePii, formatTable, injectionRatesTable, injectionTable, piiTable, type InjectionRates } from './eval';
import { PII_KINDS, PiiRedactor, detectPii } from './pii';

const THRESHOLD = 0.95;

describe('PII detection on a seeded labelled corpus', () => {
  const corpus = generatePiiCorpus(1_500, 20_240_601);
  const result = evaluatePii(corpus);

  it.each(PII_KINDS.map((k) => [k]))('%s: precision and recall at least 0.95', (kind) => {
    const s = result.perKind[kind];
    expect(s.tp + s.fn).toBeGreaterThan(20);
    expect(s.precision).toBeGreaterThanOrEqual(THRESHOLD);
    expect(s.recall).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('redacts every value it finds (the redactor and the detector agree)', () => {
    for (const s of corpus.slice(0, 300)) {
      const redacted = new PiiRedactor().redact(s.text).text;
      for (const m of detectPii(s.text)) expect(redacted).not.toContain(m.value);
    }
  });
});

describe('names and addresses on held-out templates and names', () => {
  const result = evaluatePii(generatePiiCorpus(1_000, 20_240_601, PII_HOLDOUT_TEMPLATES));

  it.each([['name'], ['address']] as const)('%s: recall at least 0.8, precision at least 0.9', (kind) => {
    const s = result.perKind[kind];
    expect(s.tp + s.fn).toBeGreaterThan(100);
    expect(s.recall).toBeGreaterThanOrEqual(0.8);
    expect(s.precision).toBeGreaterThanOrEqual(0.9);
  });
});

describe('injection detection on a seeded labelled corpus', () => {
  const result = evaluateInjection(generateInjectionCorpus(3_000, 20_240_601));
  const attacks = (r: InjectionRates): number => r.detected / r.attacks;
  const alarms = (r: InjectionRates): number => r.falseAlarms / r.benign;
  const total = Object.values(result.perCategory).reduce((t, r) => ({
    attacks: t.attacks + r.attacks,
    detected: t.detected + r.detected,
    benign: t.benign + r.benign,
    falseAlarms: t.falseAlarms + r.falseAlarms,
    suspicious: t.suspicious + r.suspicious,
  }));

  it('detects at least 90 % of attacks and raises at most 1 % of ordinary texts to injection', () => {
    expect(total.attacks).toBeGreaterThan(1_000);
    expect(attacks(total)).toBeGreaterThanOrEqual(0.9);
    expect(alarms(total)).toBeLessThanOrEqual(0.01);
  });

  it.each(ATTACK_CATEGORIES.map((c) => [c]))('%s: at least 80 %% of attacks detected', (category) => {
    expect(attacks(result.perCategory[category])).toBeGreaterThanOrEqual(0.8);
  });

  // Legal texts and release notes are written for the held-out split only; every other benign category is generated here.
  const generatedBenign = BENIGN_CATEGORIES.filter((c) => c !== 'benign_legal' && c !== 'benign_release');
  it.each(generatedBenign.map((c) => [c]))('%s: at most 3 %% raised to injection', (category) => {
    const slice = result.perCategory[category];
    expect(slice?.benign).toBeGreaterThan(0);
    expect(alarms(slice)).toBeLessThanOrEqual(0.03);
  });
});

describe('the evaluation fails a broken detector', () => {
  const corpus = generatePiiCorpus(600, 3);

  it('catches a detector that misses a kind', () => {
    const r = evaluatePii(corpus, (t) => detectPii(t).filter((m) => m.kind !== 'phone'));
    expect(r.perKind.phone.recall).toBe(0);
    expect(r.perKind.email.recall).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('catches a detector that takes every number for a phone', () => {
    const r = evaluatePii(corpus, (t) => [...t.matchAll(/\d[\d -]{5,}\d/g)].map((m) => ({ kind: 'phone' as const, start: m.index, end: m.index + m[0].length, value: m[0] })));
    expect(r.perKind.phone.precision).toBeLessThan(THRESHOLD);
  });

  it('catches a detector whose spans stop short of the value', () => {
    const r = evaluatePii(corpus, (t) => detectPii(t).map((m) => ({ ...m, end: m.end - 1 })));
    for (const k of PII_KINDS) expect(r.perKind[k].recall).toBe(0);
  });

  it('catches an injection detector that never or always fires', () => {
    const samples = generateInjectionCorpus(400, 3);
    const never = evaluateInjection(samples, () => ({ verdict: 'clean', score: 0, signals: [] }));
    const always = evaluateInjection(samples, () => ({ verdict: 'injection', score: 1, signals: [] }));
    expect(never.injection.recall).toBe(0);
    expect(always.injection.precision).toBeLessThan(0.6);
  });
});

describe('evaluatePii scoring', () => {
  const sample = { id: 0, template: 0, text: 'mail a@b.com or x', entities: [{ kind: 'email' as const, slot: 'email', start: 5, end: 12, value: 'a@b.com' }] };

  it('counts a covering detection as a true positive and a stray one as a false positive', () => {
    const r = evaluatePii([sample], () => [
      { kind: 'email', start: 4, end: 12, value: ' a@b.com' },
      { kind: 'phone', start: 16, end: 17, value: 'x' },
    ]);
    expect(r.perKind.email).toEqual({ tp: 1, fp: 0, fn: 0, precision: 1, recall: 1 });
    expect(r.perKind.phone).toEqual({ tp: 0, fp: 1, fn: 0, precision: 0, recall: 1 });
    expect(r.falsePositives).toEqual([{ sample: 0, kind: 'phone', value: 'x', context: 'mail a@b.com or x' }]);
  });

  it('counts a detection of the wrong kind as a miss and a false alarm', () => {
    const r = evaluatePii([sample], () => [{ kind: 'phone', start: 5, end: 12, value: 'a@b.com' }]);
    expect(r.perKind.email.fn).toBe(1);
    expect(r.perKind.phone.fp).toBe(1);
    expect(r.perSlot).toEqual({ email: { support: 1, found: 0 } });
  });
});

describe('tables', () => {
  it('aligns columns: text left, numbers right, three decimals in a column with fractions', () => {
    expect(formatTable(['name', 'n', 'p'], [['a', 1, 0.5], ['long name', 100, 1]])).toBe(
      ['name         n      p', '---------  ---  -----', 'a            1  0.500', 'long name  100  1.000'].join('\n'),
    );
  });

  it('shows listed ratio columns with three decimals even when whole', () => {
    expect(formatTable(['k', 'recall'], [['a', 1]], ['recall'])).toBe(['k  recall', '-  ------', 'a   1.000'].join('\n'));
  });

  it('prints one row per kind plus a total, and the injection rows', () => {
    const pii = piiTable(evaluatePii(generatePiiCorpus(50, 1))).split('\n');
    expect(pii).toHaveLength(2 + PII_KINDS.length + 1);
    expect(pii[pii.length - 1]).toMatch(/^all\s/);
    expect(injectionTable(evaluateInjection(generateInjectionCorpus(50, 1))).split('\n')).toHaveLength(7);
  });

  it('prints rates per slice with a total row, and "-" for a rate with nothing to divide', () => {
    const lines = injectionRatesTable('category', {
      direct: { attacks: 4, detected: 3, benign: 0, falseAlarms: 0, suspicious: 0 },
      benign_email: { attacks: 0, detected: 0, benign: 10, falseAlarms: 1, suspicious: 2 },
    }).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^benign_email\s+0\s+-\s+10\s+10\.0 %\s+20\.0 %$/);
    expect(lines[3]).toMatch(/^direct\s+4\s+75\.0 %\s+0\s+-\s+-$/);
    expect(lines[4]).toMatch(/^all\s+4\s+75\.0 %\s+10\s+10\.0 %\s+20\.0 %$/);
  });
});

describe('evaluateInjection slices', () => {
  const sample = (id: number, injection: boolean, source: 'user' | 'tool', category: string, language: string) =>
    ({ id, text: `t${id}`, injection, source, family: 'f', category, language }) as Parameters<typeof evaluateInjection>[0][number];
  const verdicts: Record<string, 'clean' | 'suspicious' | 'injection'> = { t0: 'suspicious', t1: 'suspicious', t2: 'injection', t3: 'suspicious', t4: 'clean' };
  const r = evaluateInjection(
    [sample(0, true, 'tool', 'indirect_email', 'en'), sample(1, true, 'user', 'direct', 'de'), sample(2, false, 'tool', 'benign_email', 'en'), sample(3, false, 'user', 'benign_bank', 'de'), sample(4, false, 'tool', 'benign_bank', 'en')],
    (t) => ({ verdict: verdicts[t], score: 0, signals: [] }),
  );

  it('counts a suspicious tool result as detected, a suspicious user input as missed', () => {
    expect(r.perCategory.indirect_email).toEqual({ attacks: 1, detected: 1, benign: 0, falseAlarms: 0, suspicious: 0 });
    expect(r.perCategory.direct).toEqual({ attacks: 1, detected: 0, benign: 0, falseAlarms: 0, suspicious: 0 });
    expect(r.detected).toMatchObject({ tp: 1, fn: 1, fp: 1 });
  });

  it('counts benign texts at injection as false alarms and at suspicious apart, per category and language', () => {
    expect(r.perCategory.benign_bank).toEqual({ attacks: 0, detected: 0, benign: 2, falseAlarms: 0, suspicious: 1 });
    expect(r.perLanguage.en).toEqual({ attacks: 1, detected: 1, benign: 2, falseAlarms: 1, suspicious: 0 });
    expect(r.perLanguage.de).toEqual({ attacks: 1, detected: 0, benign: 1, falseAlarms: 0, suspicious: 1 });
  });
});
