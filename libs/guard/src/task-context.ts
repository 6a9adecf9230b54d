/**
 * Name of the task context entry holding the task's placeholders (placeholder → kind and
 * value, secrets never included). The input guard writes it; agents read it to give a tool
 * the real value of a kind the policy lets it see.
 */
export const PII_VAULT = 'pii-vault';
