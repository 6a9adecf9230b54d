export { redactPii, luhnValid, PiiRedactor, detectPii, normalizePii, parsePlaceholder, PII_KINDS, type PiiKind, type PiiMatch, type PiiVault, type PiiRedactorOptions, type Redaction, type RedactionResult } from './pii';
export { normalizeForScreening, type ScreeningCopy } from './normalize';
export { evaluatePii, evaluateInjection, formatTable, piiTable, injectionTable, injectionRatesTable, type EvalError, type InjectionEvaluation, type InjectionRates, type PiiEvaluation, type Score } from './eval';
export { generatePiiCorpus, PII_TEMPLATES, PII_HOLDOUT_TEMPLATES, type LabelledEntity, type PiiSample } from './corpus/pii-corpus';
export { generateInjectionCorpus, injectionHoldout, injectionTrainingPassages, ATTACK_CATEGORIES, BENIGN_CATEGORIES, type InjectionCategory, type InjectionSample } from './corpus/injection-corpus';
export { restorePlaceholders, restoreFields, placeholdersIn, type Restoration } from './vault';
export { detectInjection, sanitizeUntrusted, type InjectionResult, type InjectionVerdict, type InjectionSignal, type InjectionOptions } from './injection';
export {
  applyOutputRules,
  hostAllowed,
  strictest,
  RuleAction,
  OutputRulesConfig,
  DEFAULT_OUTPUT_RULES,
  type OutputRulesConfigInput,
  type OutputFinding,
  type OutputRulesResult,
  type OutputRulesOptions,
} from './output-rules';
export {
  checkInput,
  checkShape,
  DEFAULT_INPUT_LIMITS,
  DEFAULT_SHAPE_LIMITS,
  type InputLimits,
  type InputCheck,
  type CheckedInput,
  type ShapeLimits,
  type ShapeCheck,
} from './input-limits';
export { checkOutput, type OutputCheck } from './output-check';
export {
  parsePermissionPolicy,
  checkPermissionPolicy,
  decideToolCall,
  decisionRank,
  taskTypeMatches,
  PermissionPolicySchema,
  PermissionRule,
  ArgLimit,
  Approval,
  ApprovalCondition,
  PermissionPolicyError,
  type PermissionPolicy,
  type PermissionRuleSpec,
  type PermissionRuleInput,
  type PolicyParseOptions,
  type ToolCallQuery,
  type ToolCallDecision,
  type DecisionCode,
} from './permissions';
export { loadPermissionPolicy, toolsForRole } from './permissions-file';
export { PII_VAULT } from './task-context';
export { taskCanary, carriesCanary, LOCAL_CANARY_SECRET } from './canary';
export { INJECTION_MODEL_TRAINING, trainInjectionModel, type InjectionModelWeights } from './injection-model';
