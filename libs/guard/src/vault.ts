import { PII_KINDS, parsePlaceholder, type PiiKind, type PiiVault } from './pii';

/** What restorePlaceholders put back and what it kept hidden. */
export interface Restoration<T> {
  /** The text or JSON value with the allowed placeholders replaced by their values. */
  value: T;
  /** Kinds put back at least once, in the order of PII_KINDS. */
  restored: PiiKind[];
  /** Placeholders of the vault whose kind the policy does not allow (or whose value was dropped), left in place. */
  refused: string[];
  /** Placeholder-shaped strings the vault does not know (a model made them up), left in place. */
  unknown: string[];
}

const PLACEHOLDER = /\[(?:EMAIL|PHONE|CARD|IBAN|NATIONAL_ID|IP|SECRET|NAME|ADDRESS)_\d{1,9}\]/g;

/**
 * Puts original values back where a policy allows it: a tool that sends an e-mail needs
 * the real address, not `[EMAIL_1]`. Only placeholders of `allowedKinds` are replaced;
 * the rest stay as they are and are listed, so a caller can refuse the call or ask for
 * approval. Works on a string or on any JSON-like value (object keys included) and
 * never modifies its input.
 */
export function restorePlaceholders<T>(value: T, vault: PiiVault, allowedKinds: readonly PiiKind[]): Restoration<T> {
  const restored = new Set<PiiKind>();
  const refused = new Set<string>();
  const unknown = new Set<string>();
  const allowed = new Set(allowedKinds);

  const restoreText = (text: string): string =>
    text.replace(PLACEHOLDER, (placeholder) => {
      const entry = Object.prototype.hasOwnProperty.call(vault, placeholder) ? vault[placeholder] : undefined;
      if (!entry || parsePlaceholder(placeholder)?.kind !== entry.kind) {
        unknown.add(placeholder);
        return placeholder;
      }
      if (!allowed.has(entry.kind) || entry.value === '') {
        refused.add(placeholder);
        return placeholder;
      }
      restored.add(entry.kind);
      return entry.value;
    });

  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return restoreText(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [restoreText(k), walk(inner)]));
    }
    return v;
  };

  return {
    value: walk(value) as T,
    restored: PII_KINDS.filter((k) => restored.has(k)),
    refused: [...refused],
    unknown: [...unknown],
  };
}

/** Placeholders that occur in a string or JSON-like value (keys included), each once, in order of appearance. */
export function placeholdersIn(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(PLACEHOLDER)) found.add(m[0]);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        walk(k);
        walk(inner);
      }
    }
  };
  walk(value);
  return [...found];
}
