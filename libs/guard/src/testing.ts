/**
 * Made-up credentials for specs, assembled at run time from a provider prefix and an
 * invented body, so the source tree never holds a literal that secret scanners (or
 * people) would take for a leaked key. None of these was ever issued by anyone.
 */
function fake(prefix: string, body: string): string {
  return prefix + body;
}

const PEM = (label: string, edge: 'BEGIN' | 'END'): string => `-----${edge} ${label} KEY-----`;

export const FAKE_SECRETS = {
  /** An OpenAI-style project key. */
  openai: fake('sk-proj-', 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'),
  /** An OpenAI-style key whose body holds a phone-like digit run (415 555 2671). */
  openaiWithDigits: fake('sk-proj-', 'Ab4155552671Zx9Kq2Lm5Np8Rt1Vw3Yb'),
  /** Another OpenAI-style key, for output specs. */
  openaiOther: fake('sk-proj-', '4fG7hK2mP9qR3sT8vW1xY6zA5bC0dE'),
  awsKeyId: fake('AKIA', 'Q7ZT2MX4BN6KC3WD'),
  awsSecret: fake('Xb7Kq2', 'Lm9Np4Rt6Vw1Yz3Ac5Eg8Hj0Ks2Mq4Os6Qu8Wy'),
  github: fake('ghp_', 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'),
  githubPat: fake('github_pat_', '11ABCDEFG0123456789abc_defGHIjklMNOpqrSTUvwxYZ0123456789abcdefGHIJKLmnopQRSTuvwxYZ012'),
  slack: fake('xoxb-', '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'),
  stripe: fake('sk_live_', 'Qz81HvMw3KpTn6XcR2bYdLs9'),
  google: fake('AIza', 'SyD-1234567890abcdefghijklmnopqrstu'),
  /** A JWT: a real JSON header and payload, an invented signature. */
  jwt: [
    Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'),
    Buffer.from('{"sub":"1234567890"}').toString('base64url'),
    'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  ].join('.'),
  /** PEM armour lines of a private key block. */
  pemBegin: (label = 'PRIVATE') => PEM(label, 'BEGIN'),
  pemEnd: (label = 'PRIVATE') => PEM(label, 'END'),
} as const;
