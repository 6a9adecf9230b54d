import { defaultEndpoint } from './llm-client';

describe('defaultEndpoint', () => {
  it('uses OPENAI_BASE_URL when set, whatever the key', () => {
    expect(defaultEndpoint({ OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1', OPENAI_API_KEY: 'k' })).toBe('http://127.0.0.1:9999/v1');
  });

  it('uses OpenAI itself when only a key is configured', () => {
    expect(defaultEndpoint({ OPENAI_API_KEY: 'k' })).toBe('https://api.openai.com/v1');
  });

  it('falls back to the local simulator when no provider is configured', () => {
    expect(defaultEndpoint({})).toBe('http://127.0.0.1:8090/v1');
    expect(defaultEndpoint({ OPENAI_BASE_URL: '', OPENAI_API_KEY: '' })).toBe('http://127.0.0.1:8090/v1');
  });
});
