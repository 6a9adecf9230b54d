import { FAKE_SECRETS } from './testing';
import { decodeBase64, detectSecrets, secretKeyName } from './secrets';

describe('secretKeyName', () => {
  it.each(['password', 'DB_PASSWORD', 'db.password', 'pwd', 'apiKey', 'api_key', 'api-key', 'x-api-key', 'client_secret', 'accessToken', 'auth_token', 'private_key', 'credentials', 'PASSPHRASE'])(
    'names a credential: %s',
    (k) => expect(secretKeyName(k)).toBe(true),
  );
  it.each(['primary_key', 'sort_key', 'key', 'keyboard', 'bypass', 'compass', 'passenger', 'token_count', 'user', 'monkey'])('does not: %s', (k) =>
    expect(secretKeyName(k)).toBe(false),
  );
});

describe('decodeBase64', () => {
  it('decodes standard and url-safe base64', () => {
    expect(decodeBase64('aGVsbG8gd29ybGQ=')).toBe('hello world');
    expect(decodeBase64('eyJhbGciOiJIUzI1NiJ9')).toBe('{"alg":"HS256"}');
  });
  it.each(['not base64!', 'abcde'])('refuses %s', (v) => expect(decodeBase64(v)).toBeUndefined());
});

describe('detectSecrets', () => {
  const found = (text: string): Array<[string, string]> => detectSecrets(text).map((s) => [s.type, text.slice(s.start, s.end)]);

  it('covers only the value of a labelled secret, not its label', () => {
    expect(found('password: "Tr0ub4dor&3x", token=9f86d081884c7d659a2feaa0c55ad015&page=2')).toEqual([
      ['assigned_secret', 'Tr0ub4dor&3x'],
      ['assigned_secret', '9f86d081884c7d659a2feaa0c55ad015'],
    ]);
  });

  it('merges overlapping finds into one, named by the first rule that found it', () => {
    const jwt = FAKE_SECRETS.jwt;
    expect(found(`Authorization: Bearer ${jwt}`)).toEqual([['jwt', jwt]]);
  });

  it('names the provider of prefixed keys', () => {
    expect(found(`${FAKE_SECRETS.awsKeyId} ${FAKE_SECRETS.github} ${FAKE_SECRETS.stripe}`).map(([t]) => t)).toEqual([
      'aws_access_key_id',
      'github_token',
      'stripe_key',
    ]);
  });

  it('does not take a repeated filler for a password', () => expect(found('password=abcabcabcabc')).toEqual([]));
});
