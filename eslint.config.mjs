// Lint encodes the architecture: module boundaries by Nx tags, each infrastructure client
// imported by exactly one library, and no un-awaited promise (an un-awaited send is a lost message).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const scopes = ['gateway', 'guardrails', 'router', 'planner', 'agent', 'cost-accountant', 'simulator', 'cli', 'scripts'];
const owned = [
  { name: 'kafkajs', lib: 'libs/messaging' },
  { name: 'ioredis', lib: 'libs/state' },
  { name: 'openai', lib: 'libs/llm' },
];
const restricted = (except) =>
  owned
    .filter((o) => o.name !== except)
    .map((o) => ({ name: o.name, message: `${o.name} may be imported only in ${o.lib}.` }));
/** Test doubles (`@baton/<lib>/testing`) reach specs and test support only, never shipped code. */
const testingOnly = [{ group: ['@baton/*/testing', '@baton/*/testing/*'], message: 'testing entry points may be imported only from specs and test support.' }];
const importRules = (except, specs) => ['error', { paths: restricted(except), patterns: specs ? [] : testingOnly }];
const specFiles = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/testing.ts', '**/testing/**/*.ts', 'tests/**/*.ts'];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/.baton', '**/*.js', '**/*.mjs'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Injection tokens are typed symbols (token<T>() in @baton/config), never strings.
      'no-restricted-syntax': [
        'error',
        { selector: "Decorator > CallExpression[callee.name='Inject'] > Literal", message: 'inject by a typed token (token<T>() in @baton/config), not a string' },
        { selector: "Property[key.name='provide'] > Literal", message: 'provide a typed token (token<T>() in @baton/config), not a string' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': importRules(null, false),
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:contracts'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            ...scopes.map((s) => ({ sourceTag: `scope:${s}`, onlyDependOnLibsWithTags: [`scope:${s}`, 'scope:shared'] })),
          ],
        },
      ],
    },
  },
  ...owned.map((o) => ({
    files: [`${o.lib}/**/*.ts`],
    rules: { 'no-restricted-imports': importRules(o.name, false) },
  })),
  {
    files: specFiles,
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', 'no-restricted-imports': importRules(null, true) },
  },
  ...owned.map((o) => ({
    files: specFiles.map((f) => `${o.lib}/${f.replace(/^tests\//, '')}`),
    rules: { 'no-restricted-imports': importRules(o.name, true) },
  })),
];
