export { redactPii, luhnValid, PiiRedactor, type Redaction, type RedactionResult } from './pii';
export { checkInput, DEFAULT_INPUT_LIMITS, type InputLimits, type InputCheck, type CheckedInput } from './input-limits';
export { checkOutput, type OutputCheck } from './output-check';
