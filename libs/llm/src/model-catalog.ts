import { join, resolve } from 'node:path';
import { z } from 'zod';
import { findUpward, readYamlFile } from '@baton/config';

/** A quality score: 0 (useless) to 1 (best available). */
const QualityScore = z.number().min(0, 'quality scores are 0..1').max(1, 'quality scores are 0..1');

/** A provider's request and token limits per minute; at least one must be given. */
export const RateLimits = z
  .strictObject({
    /** Requests per minute. */
    requestsPerMinute: z.number().int().positive().optional(),
    /** Prompt plus completion tokens per minute. */
    tokensPerMinute: z.number().int().positive().optional(),
  })
  .refine((r) => r.requestsPerMinute !== undefined || r.tokensPerMinute !== undefined, {
    message: 'give requestsPerMinute, tokensPerMinute or both',
  });
export type RateLimits = z.infer<typeof RateLimits>;

/** One model Baton can call, as declared in the catalog file. */
export const ModelSpec = z
  .strictObject({
    /** Catalog id used everywhere in Baton (routing decisions, usage events). */
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'model id must be lowercase letters, digits, ".", "_" or "-"'),
    /** Who serves the model; reported as `gen_ai.system`. */
    provider: z.string().min(1),
    /** Model name sent to the endpoint. */
    providerModel: z.string().min(1),
    /** OpenAI-compatible base URL; absent means the client's default endpoint (the simulator locally). */
    baseUrl: z.url().optional(),
    /** Environment variable holding the API key for this model's endpoint. */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'apiKeyEnv must name an environment variable, e.g. OPENAI_API_KEY')
      .optional(),
    /** USD per million prompt tokens. */
    inputPricePerMTokens: z.number().finite().nonnegative(),
    /** USD per million completion tokens. */
    outputPricePerMTokens: z.number().finite().nonnegative(),
    /** Largest prompt plus completion the model accepts, in tokens. */
    contextWindow: z.number().int().positive(),
    /** Largest completion the model produces, in tokens. */
    maxOutputTokens: z.number().int().positive(),
    /** What the model can do, e.g. `chat`, `json`, `tools`, `long-context`. */
    capabilities: z.array(z.string().min(1)),
    /**
     * How well the model does each of its capabilities, 0 (useless) to 1 (best available),
     * from the team's evaluations. The router compares these; absent means unrated, which
     * routing treats as 0. When given it must score every declared capability.
     */
    quality: z.record(z.string().min(1), QualityScore).optional(),
    /** Typical wall time of one call (prompt of a few thousand tokens, answer of a few hundred), ms. */
    expectedLatencyMs: z.number().int().positive().optional(),
    /** The provider's limits for our account; carried for the rate limiter, not enforced yet. */
    rateLimits: RateLimits.optional(),
  })
  .superRefine((m, ctx) => {
    if (m.maxOutputTokens > m.contextWindow) {
      ctx.addIssue({ code: 'custom', message: 'maxOutputTokens must not exceed contextWindow', path: ['maxOutputTokens'] });
    }
    if (!m.quality) return;
    for (const capability of Object.keys(m.quality)) {
      if (!m.capabilities.includes(capability)) {
        // A score for a capability the model lacks is almost always a typo in either list.
        ctx.addIssue({ code: 'custom', message: `scores "${capability}", which is not in capabilities`, path: ['quality', capability] });
      }
    }
    const unscored = m.capabilities.filter((c) => !Object.hasOwn(m.quality ?? {}, c));
    if (unscored.length) {
      ctx.addIssue({ code: 'custom', message: `must score every capability; missing ${unscored.join(', ')}`, path: ['quality'] });
    }
  });
export type ModelSpec = z.infer<typeof ModelSpec>;

/**
 * The quality a model brings to a call needing `capabilities`: its weakest score among
 * them (a call is only as good as its worst part), or its `chat` score when the call
 * needs nothing in particular. Unrated models and unscored capabilities count as 0.
 */
export function modelQuality(model: Pick<ModelSpec, 'quality'>, capabilities: Iterable<string> = []): number {
  const needed = [...new Set(capabilities)];
  const scores = (needed.length ? needed : ['chat']).map((c) => (model.quality && Object.hasOwn(model.quality, c) ? model.quality[c] : 0));
  return Math.min(...scores);
}

/** The guard role: the model that screens untrusted tool results after the rules, when enabled. */
const GuardRole = z.strictObject({
  model: z.string().min(1),
  /** Off by default: every untrusted tool result then costs one more (small) model call. */
  enabled: z.boolean().default(false),
});
export type GuardRole = z.infer<typeof GuardRole>;

/** Shape of the catalog file: a `models` list, and the guard role. */
const CatalogFile = z.strictObject({
  models: z.array(ModelSpec).min(1, 'the catalog must declare at least one model'),
  guard: GuardRole.optional(),
});

/** The catalog file is missing, unreadable or invalid; the message says where and why. */
export class ModelCatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelCatalogError';
  }
}

/** Environment variable that points at a catalog file other than the repository's. */
export const MODEL_CATALOG_ENV = 'BATON_MODEL_CATALOG';
const DEFAULT_RELATIVE_PATH = join('config', 'models.yaml');

/** The models Baton may route to, keyed by catalog id. Immutable once built. */
export class ModelCatalog {
  private readonly byId: ReadonlyMap<string, ModelSpec>;

  /** The guard role's model when enabled, else undefined. */
  readonly guardModel: string | undefined;

  private constructor(specs: readonly ModelSpec[], guard?: GuardRole) {
    const byId = new Map<string, ModelSpec>();
    for (const spec of specs) {
      if (byId.has(spec.id)) {
        throw new ModelCatalogError(`duplicate model id "${spec.id}" in the catalog`);
      }
      byId.set(
        spec.id,
        Object.freeze({
          ...spec,
          capabilities: Object.freeze([...spec.capabilities]) as string[],
          ...(spec.quality ? { quality: Object.freeze({ ...spec.quality }) } : {}),
          ...(spec.rateLimits ? { rateLimits: Object.freeze({ ...spec.rateLimits }) } : {}),
        }),
      );
    }
    this.byId = byId;
    if (guard && !byId.has(guard.model)) throw new ModelCatalogError(`guard.model "${guard.model}" is not in the catalog; it has: ${[...byId.keys()].join(', ')}`);
    this.guardModel = guard?.enabled ? guard.model : undefined;
  }

  /**
   * Loads a YAML catalog. Without `path`: `$BATON_MODEL_CATALOG`, else the nearest
   * `config/models.yaml` in the working directory or one of its parents, so services
   * started from a subfolder still find the repository's catalog.
   */
  static fromFile(path?: string): ModelCatalog {
    const file = path ? resolve(path) : defaultCatalogPath();
    let raw: unknown;
    try {
      raw = readYamlFile(file, 'model catalog');
    } catch (err) {
      throw new ModelCatalogError((err as Error).message);
    }
    return ModelCatalog.parse(raw, file);
  }

  /** Builds a catalog from specs (tests, generated catalogs); validates each one. */
  static fromSpecs(specs: ModelSpec[]): ModelCatalog {
    return ModelCatalog.parse({ models: specs }, 'specs');
  }

  private static parse(raw: unknown, source: string): ModelCatalog {
    const result = CatalogFile.safeParse(raw);
    if (!result.success) {
      const lines = result.error.issues.map((i) => `  ${formatPath(i.path)}: ${i.message}`);
      throw new ModelCatalogError(`invalid model catalog (${source}):\n${lines.join('\n')}`);
    }
    return new ModelCatalog(result.data.models, result.data.guard);
  }

  /** Every model, in catalog order. */
  list(): ModelSpec[] {
    return [...this.byId.values()];
  }

  /** The model with this catalog id; throws naming the known ids when there is none. */
  get(id: string): ModelSpec {
    const spec = this.byId.get(id);
    if (!spec) {
      throw new ModelCatalogError(`unknown model "${id}"; the catalog has: ${[...this.byId.keys()].join(', ')}`);
    }
    return spec;
  }

  /** Whether the catalog has a model with this id. */
  has(id: string): boolean {
    return this.byId.has(id);
  }
}

function defaultCatalogPath(): string {
  const fromEnv = process.env[MODEL_CATALOG_ENV];
  if (fromEnv) return resolve(fromEnv);
  const found = findUpward(DEFAULT_RELATIVE_PATH);
  if (!found) {
    throw new ModelCatalogError(`no ${DEFAULT_RELATIVE_PATH} found in ${process.cwd()} or its parents; set ${MODEL_CATALOG_ENV} to the catalog file`);
  }
  return found;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}
