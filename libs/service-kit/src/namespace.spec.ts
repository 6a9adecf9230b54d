import { loadConfig } from '@baton/config';
import { NamespaceEnv, namespaceKeyPrefix, serviceNamespace } from './namespace';

const parse = (env: NodeJS.ProcessEnv) => serviceNamespace(loadConfig(NamespaceEnv, env));

describe('serviceNamespace', () => {
  it('is live when BATON_NAMESPACE is unset or empty', () => {
    expect(parse({})).toEqual({ namespace: null, liveInputs: [], keyPrefix: 'baton:' });
    expect(parse({ BATON_NAMESPACE: '' })).toEqual({ namespace: null, liveInputs: [], keyPrefix: 'baton:' });
  });

  it('puts a namespaced service under baton:<ns>: with its live inputs', () => {
    expect(parse({ BATON_NAMESPACE: 'shadow', BATON_LIVE_INPUTS: 'baton.task.submitted' })).toEqual({
      namespace: 'shadow',
      liveInputs: ['baton.task.submitted'],
      keyPrefix: 'baton:shadow:',
    });
  });

  it('names a bad namespace or live input list', () => {
    expect(() => parse({ BATON_NAMESPACE: 'Shadow' })).toThrow(/BATON_NAMESPACE: must be a lowercase word/);
    expect(() => parse({ BATON_NAMESPACE: 'shadow', BATON_LIVE_INPUTS: 'orders' })).toThrow(/BATON_LIVE_INPUTS\.0: expected Baton topics/);
  });

  it('refuses live inputs on a live service', () => {
    expect(() => parse({ BATON_LIVE_INPUTS: 'baton.task.submitted' })).toThrow(/without BATON_NAMESPACE/);
  });
});

describe('namespaceKeyPrefix', () => {
  it('nests a namespace under the live prefix', () => {
    expect(namespaceKeyPrefix(null)).toBe('baton:');
    expect(namespaceKeyPrefix('shadow')).toBe('baton:shadow:');
  });
});
