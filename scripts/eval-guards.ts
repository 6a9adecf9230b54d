// `npm run eval:guards`: precision and recall of the PII redactor and the prompt-injection
// detector on seeded, generated, labelled corpora, then on held-out templates that were
// never used to tune the detectors. The injection detector is also reported per category
// of attack or ordinary text and per language. Options: --samples N (default 5000),
// --seed S (default 20240601), --holdout N (generated held-out texts, default 2400),
// --errors K (print up to K misses and false alarms of each).
import {
  PII_HOLDOUT_TEMPLATES,
  evaluateInjection,
  evaluatePii,
  formatTable,
  generateInjectionCorpus,
  generatePiiCorpus,
  injectionHoldout,
  injectionRatesTable,
  injectionTable,
  type InjectionEvaluation,
  piiTable,
  type EvalError,
} from '@baton/guard';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`--${name} must be a non-negative integer`);
  return value;
}

function printErrors(title: string, errors: readonly EvalError[], limit: number): void {
  if (limit === 0 || errors.length === 0) return;
  console.log(`\n${title} (${errors.length}, first ${Math.min(limit, errors.length)}):`);
  for (const e of errors.slice(0, limit)) console.log(`  #${e.sample} ${e.kind} ${JSON.stringify(e.value)}  …${e.context}…`);
}

function printInjection(e: InjectionEvaluation, errors: number): void {
  console.log(injectionTable(e));
  console.log(`\nby category (detected: verdict injection, or suspicious for a tool result; benign: share at injection and at suspicious)\n`);
  console.log(injectionRatesTable('category', e.perCategory));
  console.log(`\nby language\n`);
  console.log(injectionRatesTable('language', e.perLanguage));
  printErrors('missed injections', e.falseNegatives, errors);
  printErrors('benign texts flagged as injection', e.falsePositives, errors);
}

function main(): void {
  const samples = arg('samples', 5_000);
  const seed = arg('seed', 20_240_601);
  const errors = arg('errors', 0);
  const holdout = arg('holdout', 2_400);

  const started = performance.now();
  const pii = evaluatePii(generatePiiCorpus(samples, seed));
  const piiMs = performance.now() - started;
  console.log(`PII redaction: ${samples} generated samples, seed ${seed}, span-level (${piiMs.toFixed(0)} ms)\n`);
  console.log(piiTable(pii));

  const slots = Object.entries(pii.perSlot)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([slot, s]) => [slot, s.support, s.found, s.support === 0 ? 1 : s.found / s.support]);
  console.log(`\nrecall per generated format\n`);
  console.log(formatTable(['format', 'support', 'found', 'recall'], slots, ['recall']));
  printErrors('missed (false negatives)', pii.falseNegatives, errors);
  printErrors('false alarms (false positives)', pii.falsePositives, errors);

  const at = performance.now();
  const injection = evaluateInjection(generateInjectionCorpus(samples, seed));
  console.log(`\nPrompt injection: ${samples} generated texts, seed ${seed} (${(performance.now() - at).toFixed(0)} ms)\n`);
  printInjection(injection, errors);

  const heldPii = evaluatePii(generatePiiCorpus(Math.ceil(samples / 2), seed, PII_HOLDOUT_TEMPLATES));
  console.log(`
Held out (templates never used for tuning)

PII: ${heldPii.samples} samples from ${PII_HOLDOUT_TEMPLATES.length} templates
`);
  console.log(piiTable(heldPii));
  printErrors('missed (false negatives)', heldPii.falseNegatives, errors);
  printErrors('false alarms (false positives)', heldPii.falsePositives, errors);
  const heldInjection = evaluateInjection(injectionHoldout(holdout, seed));
  console.log(`
Prompt injection: ${heldInjection.samples} texts (${holdout} generated from the held-out tables and documents, the rest hand-written)
`);
  printInjection(heldInjection, errors);
}

main();
