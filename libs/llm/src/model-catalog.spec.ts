import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelCatalog, ModelCatalogError, modelQuality, type ModelSpec } from './model-catalog';
import { priceMicros } from './pricing';

const mini: ModelSpec = {
  id: 'mini',
  provider: 'simulator',
  providerModel: 'sim-mini',
  inputPricePerMTokens: 0.15,
  outputPricePerMTokens: 0.6,
  contextWindow: 32768,
  maxOutputTokens: 4096,
  capabilities: ['chat', 'json'],
};

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-catalog-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('ModelCatalog', () => {
  it('loads the repository catalog with the simulator models', () => {
    const catalog = ModelCatalog.fromFile();
    const ids = catalog.list().map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['sim-mini', 'sim-standard', 'sim-large', 'sim-reasoner']));
    for (const m of catalog.list()) {
      expect(m.baseUrl).toBeUndefined();
      expect(m.capabilities).toContain('chat');
    }
    expect(catalog.get('sim-large').capabilities).toContain('long-context');
    expect(catalog.get('sim-large').contextWindow).toBeGreaterThanOrEqual(128000);
  });

  it('names the guard role model only when it is enabled, and refuses one the catalog lacks', () => {
    const at = (guard: string) => ModelCatalog.fromFile(tempFile('models.yaml', `models:\n  - ${JSON.stringify(mini)}\n${guard}`));
    expect(at('').guardModel).toBeUndefined();
    expect(at('guard: { model: mini }\n').guardModel).toBeUndefined();
    expect(at('guard: { model: mini, enabled: true }\n').guardModel).toBe('mini');
    expect(() => at('guard: { model: large, enabled: true }\n')).toThrow(/guard.model "large" is not in the catalog/);
    expect(ModelCatalog.fromFile().guardModel).toBeUndefined();
  });

  it('finds config/models.yaml from a subfolder of the repository', () => {
    const cwd = process.cwd();
    try {
      process.chdir(join(__dirname));
      expect(ModelCatalog.fromFile().has('sim-mini')).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it('prefers BATON_MODEL_CATALOG over the repository file', () => {
    const file = tempFile('models.yaml', `models:\n  - ${JSON.stringify(mini)}\n`);
    const before = process.env.BATON_MODEL_CATALOG;
    process.env.BATON_MODEL_CATALOG = file;
    try {
      expect(ModelCatalog.fromFile().list().map((m) => m.id)).toEqual(['mini']);
    } finally {
      if (before === undefined) delete process.env.BATON_MODEL_CATALOG;
      else process.env.BATON_MODEL_CATALOG = before;
    }
  });

  it('fails naming the search start when no catalog exists above the working directory', () => {
    const cwd = process.cwd();
    const empty = mkdtempSync(join(tmpdir(), 'baton-empty-'));
    mkdirSync(join(empty, 'nested'));
    try {
      process.chdir(join(empty, 'nested'));
      expect(() => ModelCatalog.fromFile()).toThrow(/no config\/models\.yaml found .*BATON_MODEL_CATALOG/s);
    } finally {
      process.chdir(cwd);
    }
  });

  it('names the file when it cannot be read', () => {
    expect(() => ModelCatalog.fromFile('does/not/exist.yaml')).toThrow(/cannot read model catalog .*exist\.yaml/);
  });

  it('reports YAML syntax errors as catalog errors', () => {
    const file = tempFile('bad.yaml', 'models:\n  - id: [unclosed\n');
    expect(() => ModelCatalog.fromFile(file)).toThrow(ModelCatalogError);
    expect(() => ModelCatalog.fromFile(file)).toThrow(/not valid YAML/);
  });

  it('lists every invalid field with its path', () => {
    const file = tempFile(
      'invalid.yaml',
      [
        'models:',
        '  - id: ok-model',
        '    provider: simulator',
        '    providerModel: sim',
        '    inputPricePerMTokens: 1',
        '    outputPricePerMTokens: 2',
        '    contextWindow: 1000',
        '    maxOutputTokens: 100',
        '    capabilities: [chat]',
        '  - id: Bad Id',
        '    provider: simulator',
        '    providerModel: sim',
        '    inputPricePerMTokens: cheap',
        '    outputPricePerMTokens: -1',
        '    contextWindow: 1000',
        '    maxOutputTokens: 2000',
        '    capabilities: [chat]',
        '    baseUrl: not a url',
        '    inputPrice: 3',
      ].join('\n'),
    );
    let message = '';
    try {
      ModelCatalog.fromFile(file);
    } catch (err) {
      expect(err).toBeInstanceOf(ModelCatalogError);
      message = (err as Error).message;
    }
    expect(message).toContain('models[1].id');
    expect(message).toContain('models[1].inputPricePerMTokens');
    expect(message).toContain('models[1].outputPricePerMTokens');
    expect(message).toContain('models[1].baseUrl');
    expect(message).toMatch(/inputPrice\b/);
    expect(message).not.toContain('models[0]');
  });

  it('rejects maxOutputTokens above the context window', () => {
    expect(() => ModelCatalog.fromSpecs([{ ...mini, maxOutputTokens: 40000 }])).toThrow(
      /maxOutputTokens: maxOutputTokens must not exceed contextWindow/,
    );
  });

  it('rejects an empty catalog and duplicate ids', () => {
    expect(() => ModelCatalog.fromSpecs([])).toThrow(/at least one model/);
    expect(() => ModelCatalog.fromSpecs([mini, { ...mini }])).toThrow(/duplicate model id "mini"/);
  });

  it('gets by id and explains unknown ids', () => {
    const catalog = ModelCatalog.fromSpecs([mini, { ...mini, id: 'other' }]);
    expect(catalog.get('mini').providerModel).toBe('sim-mini');
    expect(catalog.has('other')).toBe(true);
    expect(catalog.has('nope')).toBe(false);
    expect(() => catalog.get('nope')).toThrow('unknown model "nope"; the catalog has: mini, other');
  });

  it('cannot be changed through what it returns', () => {
    const catalog = ModelCatalog.fromSpecs([mini]);
    const listed = catalog.list();
    listed.pop();
    expect(catalog.list()).toHaveLength(1);
    expect(() => {
      (catalog.get('mini') as { inputPricePerMTokens: number }).inputPricePerMTokens = 0;
    }).toThrow(TypeError);
  });

  it('keeps quality scores and rate limits immutable too', () => {
    const catalog = ModelCatalog.fromSpecs([{ ...mini, quality: { chat: 0.6, json: 0.5 }, rateLimits: { requestsPerMinute: 60 } }]);
    expect(() => {
      (catalog.get('mini').quality as Record<string, number>).chat = 1;
    }).toThrow(TypeError);
    expect(() => {
      (catalog.get('mini').rateLimits as { requestsPerMinute: number }).requestsPerMinute = 1;
    }).toThrow(TypeError);
  });
});

describe('ModelCatalog routing data', () => {
  const rated: ModelSpec = { ...mini, quality: { chat: 0.6, json: 0.55 }, expectedLatencyMs: 500, rateLimits: { requestsPerMinute: 600, tokensPerMinute: 100_000 } };

  function issues(spec: ModelSpec): string {
    try {
      ModelCatalog.fromSpecs([spec]);
    } catch (err) {
      expect(err).toBeInstanceOf(ModelCatalogError);
      return (err as Error).message;
    }
    throw new Error('the catalog accepted the spec');
  }

  it('accepts quality, expected latency and rate limits, and keeps them optional', () => {
    expect(ModelCatalog.fromSpecs([rated]).get('mini')).toMatchObject({ quality: { chat: 0.6, json: 0.55 }, expectedLatencyMs: 500 });
    expect(ModelCatalog.fromSpecs([mini]).get('mini').quality).toBeUndefined();
  });

  it.each([
    ['a score above 1', { quality: { chat: 1.2, json: 0.5 } }, /models\[0\]\.quality\.chat: quality scores are 0\.\.1/],
    ['a negative score', { quality: { chat: -0.1, json: 0.5 } }, /quality\.chat: quality scores are 0\.\.1/],
    ['a score for a capability the model lacks', { quality: { chat: 0.5, json: 0.5, tools: 0.9 } }, /quality\.tools: scores "tools", which is not in capabilities/],
    ['an unscored capability', { quality: { chat: 0.5 } }, /quality: must score every capability; missing json/],
    ['a zero latency', { expectedLatencyMs: 0 }, /expectedLatencyMs/],
    ['a fractional latency', { expectedLatencyMs: 12.5 }, /expectedLatencyMs/],
    ['empty rate limits', { rateLimits: {} }, /rateLimits: give requestsPerMinute, tokensPerMinute or both/],
    ['a zero rate limit', { rateLimits: { requestsPerMinute: 0 } }, /rateLimits\.requestsPerMinute/],
    ['an unknown rate limit field', { rateLimits: { requestsPerDay: 5 } }, /rateLimits/],
  ])('rejects %s', (_name, over, expected) => {
    expect(issues({ ...rated, ...(over as Partial<ModelSpec>) })).toMatch(expected);
  });

  it('rates every model of the repository catalog, cheaper models lower on every capability they share', () => {
    const models = ModelCatalog.fromFile().list();
    for (const m of models) {
      expect(m.quality).toBeDefined();
      expect(m.expectedLatencyMs).toBeGreaterThan(0);
      expect(m.rateLimits).toBeDefined();
    }
    // Ordered by the cost of a typical call: each pricier model beats the cheaper ones.
    const byCost = [...models].sort((a, b) => priceMicros(a, 2000, 400) - priceMicros(b, 2000, 400));
    expect(byCost[0]!.id).toBe('sim-mini');
    expect(byCost[byCost.length - 1]!.id).toBe('sim-reasoner');
    for (let i = 1; i < byCost.length; i++) {
      const cheaper = byCost[i - 1]!;
      const pricier = byCost[i]!;
      for (const capability of cheaper.capabilities) {
        expect([capability, pricier.quality![capability]! > cheaper.quality![capability]!]).toEqual([capability, true]);
      }
    }
  });
});

describe('modelQuality', () => {
  const spec = { quality: { chat: 0.8, json: 0.6, tools: 0.7 } };

  it('is the weakest score among the needed capabilities', () => {
    expect(modelQuality(spec, ['chat', 'tools'])).toBe(0.7);
    expect(modelQuality(spec, ['tools', 'json', 'json'])).toBe(0.6);
  });

  it('is the chat score when the call needs nothing in particular', () => {
    expect(modelQuality(spec)).toBe(0.8);
    expect(modelQuality(spec, [])).toBe(0.8);
  });

  it('counts an unrated model and an unscored capability as 0', () => {
    expect(modelQuality({}, ['chat'])).toBe(0);
    expect(modelQuality(spec, ['chat', 'reasoning'])).toBe(0);
  });
});
