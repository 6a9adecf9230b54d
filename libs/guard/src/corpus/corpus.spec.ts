import { ibanValid } from '../iban';
import { codiceFiscaleValid, bsnValid, nirValid, spanishIdValid, ssnValid } from '../national-id';
import { PII_KINDS, luhnValid } from '../pii';
import { ATTACK_CATEGORIES, BENIGN_CATEGORIES, generateInjectionCorpus, injectionHoldout } from './injection-corpus';
import { PII_HOLDOUT_TEMPLATES, PII_TEMPLATES, generatePiiCorpus } from './pii-corpus';
import { HOLDOUT_TEXTS } from './injection-holdout-texts';
import { TEXTS } from './injection-texts';
import { Rng } from './rng';
import * as v from './values';

describe('Rng', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const seq = (r: Rng) => Array.from({ length: 5 }, () => r.next());
    const first = seq(a);
    expect(seq(b)).toEqual(first);
    expect(seq(c)).not.toEqual(first);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  it('keeps int() within bounds', () => {
    const r = new Rng(1);
    const seen = new Set(Array.from({ length: 500 }, () => r.int(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('refuses a non-integer seed', () => expect(() => new Rng(1.5)).toThrow(RangeError));
});

describe('value generators', () => {
  const r = new Rng(2024);
  const many = <T>(gen: (r: Rng) => T, n = 300): T[] => Array.from({ length: n }, () => gen(r));

  it('make valid numbers, checked by the detectors’ own validators', () => {
    for (const c of many(v.card)) expect(luhnValid(c)).toBe(true);
    for (const i of many(v.iban)) expect(ibanValid(i)).toBe(true);
    for (const s of many(v.ssn)) expect(ssnValid(s)).toBe(true);
    for (const d of many(v.dni)) expect(spanishIdValid(d)).toBe(true);
    for (const d of many(v.nie)) expect(spanishIdValid(d)).toBe(true);
    for (const b of many(v.bsn)) expect(bsnValid(b)).toBe(true);
    for (const n of many(v.nir)) expect(nirValid(n)).toBe(true);
    for (const f of many(v.codiceFiscale)) expect(codiceFiscaleValid(f)).toBe(true);
  });

  it('make the newer layouts valid too', () => {
    for (const c of many(v.maestroCard)) expect(luhnValid(c)).toBe(true);
    for (const i of many(v.ibanAnyCase)) expect(ibanValid(i)).toBe(true);
    for (const i of many(v.ibanAnyCase)) expect(i).not.toBe(i.toUpperCase());
    for (const p of many(v.phoneWithExtension)) expect(p).toMatch(/(?:x|ext\.?) ?\d+\)?$/);
  });

  it('make addresses with a number and names with a capital', () => {
    for (const a of many(v.address)) expect(a).toMatch(/\d/);
    for (const a of many(v.addressLines)) expect(a).not.toMatch(/^\s|\s$/);
    for (const n of many(v.personName)) expect(n).toMatch(/^\p{Lu}/u);
  });

  it('keep the held-out names apart from the tuning names', () => {
    for (const f of v.HELD_OUT_FIRST) expect(v.PERSON_FIRST).not.toContain(f);
    for (const l of v.HELD_OUT_LAST) expect(v.PERSON_LAST).not.toContain(l);
  });

  it('make look-alikes that fail validation', () => {
    for (const c of many(v.badCard)) expect(luhnValid(c)).toBe(false);
    for (const i of many(v.badIban)) expect(ibanValid(i)).toBe(false);
    for (const s of many(v.badSsn)) expect(ssnValid(s)).toBe(false);
  });

  it('cover every IBAN country in the generator table', () => {
    for (const country of v.IBAN_COUNTRIES) expect(ibanValid(v.ibanCompact(r, country))).toBe(true);
  });
});

describe('generatePiiCorpus', () => {
  const corpus = generatePiiCorpus(1_500, 11);

  it('has at least 40 templates', () => expect(PII_TEMPLATES.length).toBeGreaterThanOrEqual(40));

  it('is the same for the same seed and differs for another', () => {
    expect(generatePiiCorpus(50, 11)).toEqual(corpus.slice(0, 50));
    expect(generatePiiCorpus(50, 12)).not.toEqual(corpus.slice(0, 50));
  });

  it('labels each entity with its exact range', () => {
    for (const s of corpus) {
      for (const e of s.entities) expect(s.text.slice(e.start, e.end)).toBe(e.value);
    }
  });

  it('holds every kind, and samples with no entity at all', () => {
    const kinds = new Set(corpus.flatMap((s) => s.entities.map((e) => e.kind)));
    expect([...kinds].sort()).toEqual([...PII_KINDS].sort());
    expect(corpus.some((s) => s.entities.length === 0)).toBe(true);
  });

  it('uses every template', () => {
    expect(new Set(corpus.map((s) => s.template)).size).toBe(PII_TEMPLATES.length);
  });
});

describe('generateInjectionCorpus', () => {
  const corpus = generateInjectionCorpus(1_000, 5);

  it('is seeded', () => expect(generateInjectionCorpus(30, 5)).toEqual(corpus.slice(0, 30)));

  it('mixes injections and benign texts from both sources', () => {
    const share = corpus.filter((s) => s.injection).length / corpus.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
    for (const source of ['user', 'tool'] as const) {
      expect(corpus.some((s) => s.source === source && s.injection)).toBe(true);
      expect(corpus.some((s) => s.source === source && !s.injection)).toBe(true);
    }
  });

  it('includes obfuscated injections and benign look-alikes', () => {
    expect(corpus.some((s) => s.injection && s.family.includes('+'))).toBe(true);
    expect(corpus.some((s) => !s.injection && s.family === 'business_lookalike')).toBe(true);
  });
});

describe('the injection corpus by category and language', () => {
  const corpus = generateInjectionCorpus(5_000, 20_240_601);
  const held = injectionHoldout();
  const count = <K extends string>(samples: typeof corpus, key: (s: (typeof corpus)[number]) => K): Map<K, number> => {
    const m = new Map<K, number>();
    for (const s of samples) m.set(key(s), (m.get(key(s)) ?? 0) + 1);
    return m;
  };

  it.each([
    ['tuning', corpus],
    ['held-out', held],
  ])('%s: every category of attack and of ordinary text, each with at least 20 texts', (_split, samples) => {
    const byCategory = count(samples, (s) => s.category);
    for (const c of [...ATTACK_CATEGORIES, ...BENIGN_CATEGORIES]) expect([c, byCategory.get(c) ?? 0]).toEqual([c, expect.any(Number)]);
    for (const c of ATTACK_CATEGORIES) expect(byCategory.get(c) ?? 0).toBeGreaterThanOrEqual(20);
    for (const c of ['benign_email', 'benign_bank', 'benign_invoice', 'benign_ticket', 'benign_code_review', 'benign_hr', 'benign_resume', 'benign_security', 'benign_multilingual']) {
      expect(byCategory.get(c as (typeof corpus)[number]['category']) ?? 0).toBeGreaterThanOrEqual(20);
    }
  });

  it.each([
    ['tuning', corpus],
    ['held-out', held],
  ])('%s: attacks in at least 8 languages besides English, each with both attacks and ordinary text', (_split, samples) => {
    const attacks = count(samples.filter((s) => s.injection), (s) => s.language);
    const benign = count(samples.filter((s) => !s.injection), (s) => s.language);
    const both = [...attacks.keys()].filter((l) => l !== 'en' && (benign.get(l) ?? 0) > 0);
    expect(both.length).toBeGreaterThanOrEqual(8);
  });

  it('held-out split has at least 2,000 texts, and its tables share no sentence with the tuning tables', () => {
    expect(held.length).toBeGreaterThanOrEqual(2_000);
    const tuningTexts = new Set(Object.values(TEXTS).flatMap((t) => [...t.override, ...t.payload, ...t.extraction, ...t.address, ...t.act, ...(t.roleplay ?? []), ...t.benign]));
    const shared = Object.values(HOLDOUT_TEXTS).flatMap((t) => [...t.override, ...t.payload, ...t.extraction, ...t.address, ...t.act, ...(t.roleplay ?? []), ...t.benign]).filter((x) => tuningTexts.has(x));
    expect(shared).toEqual([]);
  });
});

describe('held-out sets', () => {
  it('fill names from their own pool: tuning templates never use held-out names, nor the reverse', () => {
    for (const t of PII_TEMPLATES) expect(t).not.toMatch(/\{(?:person|given|family)\}/);
    for (const t of PII_HOLDOUT_TEMPLATES) expect(t).not.toMatch(/\{(?:name|first|last)\}/);
  });

  it('share no template with the tuning corpus', () => {
    for (const t of PII_HOLDOUT_TEMPLATES) expect(PII_TEMPLATES).not.toContain(t);
    const tuning = new Set(generateInjectionCorpus(3_000, 9).map((s) => s.text));
    for (const s of injectionHoldout()) expect(tuning.has(s.text)).toBe(false);
  });

  it('label their entities and texts like the tuning corpus', () => {
    for (const s of generatePiiCorpus(200, 4, PII_HOLDOUT_TEMPLATES)) {
      for (const e of s.entities) expect(s.text.slice(e.start, e.end)).toBe(e.value);
    }
    const held = injectionHoldout();
    const share = held.filter((s) => s.injection).length / held.length;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
    const handwritten = held.filter((s) => s.family === 'holdout/handwritten');
    expect(handwritten.filter((s) => s.injection)).toHaveLength(handwritten.length / 2);
    expect(injectionHoldout()).toEqual(held);
  });
});
