import { PiiRedactor, type PiiVault } from './pii';
import { placeholdersIn, restorePlaceholders } from './vault';

const vault: PiiVault = {
  '[EMAIL_1]': { kind: 'email', value: 'dana@initech.example' },
  '[PHONE_1]': { kind: 'phone', value: '+1 415 555 2671' },
  '[CARD_1]': { kind: 'card', value: '4111 1111 1111 1111' },
};

describe('restorePlaceholders', () => {
  it('puts back only the allowed kinds and lists the rest', () => {
    expect(restorePlaceholders('Mail [EMAIL_1] about [CARD_1], call [PHONE_1]', vault, ['email'])).toEqual({
      value: 'Mail dana@initech.example about [CARD_1], call [PHONE_1]',
      restored: ['email'],
      refused: ['[CARD_1]', '[PHONE_1]'],
      unknown: [],
    });
  });

  it('restores every occurrence and lists each refused placeholder once', () => {
    const out = restorePlaceholders('[EMAIL_1] [EMAIL_1] [CARD_1] [CARD_1]', vault, ['email']);
    expect(out.value).toBe('dana@initech.example dana@initech.example [CARD_1] [CARD_1]');
    expect(out.refused).toEqual(['[CARD_1]']);
  });

  it('leaves placeholders the vault does not know and reports them', () => {
    expect(restorePlaceholders('to [EMAIL_2]', vault, ['email'])).toEqual({ value: 'to [EMAIL_2]', restored: [], refused: [], unknown: ['[EMAIL_2]'] });
  });

  it('walks JSON values, keys included, without touching the input', () => {
    const args = { to: ['[EMAIL_1]'], body: 'Card [CARD_1] expires', meta: { '[PHONE_1]': 1, n: 3, ok: true, none: null } };
    const before = structuredClone(args);
    const out = restorePlaceholders(args, vault, ['email', 'phone']);
    expect(out.value).toEqual({ to: ['dana@initech.example'], body: 'Card [CARD_1] expires', meta: { '+1 415 555 2671': 1, n: 3, ok: true, none: null } });
    expect(out.restored).toEqual(['email', 'phone']);
    expect(out.refused).toEqual(['[CARD_1]']);
    expect(args).toEqual(before);
  });

  it('restores nothing with an empty policy', () => {
    const out = restorePlaceholders('[EMAIL_1]', vault, []);
    expect(out).toEqual({ value: '[EMAIL_1]', restored: [], refused: ['[EMAIL_1]'], unknown: [] });
  });

  it('treats a vault entry whose kind disagrees with its placeholder as unknown', () => {
    const forged: PiiVault = { '[EMAIL_1]': { kind: 'phone', value: '+1 415 555 2671' } };
    expect(restorePlaceholders('[EMAIL_1]', forged, ['phone']).unknown).toEqual(['[EMAIL_1]']);
  });

  it('never restores an entry whose value was dropped', () => {
    const stored: PiiVault = { ...vault, '[SECRET_1]': { kind: 'secret', value: '' } };
    expect(restorePlaceholders('key [SECRET_1]', stored, ['secret'])).toEqual({ value: 'key [SECRET_1]', restored: [], refused: ['[SECRET_1]'], unknown: [] });
  });

  it('does not look up inherited properties', () => {
    expect(restorePlaceholders('[EMAIL_1]', Object.create({ '[EMAIL_1]': { kind: 'email', value: 'x@y.com' } }) as PiiVault, ['email']).unknown).toEqual(['[EMAIL_1]']);
  });

  it('round-trips a redaction for the allowed kinds', () => {
    const r = new PiiRedactor();
    const text = 'Reach Dana at dana@initech.example or +1 415 555 2671; IBAN DE89370400440532013000; 12 Baker Street, London NW1 6XE.';
    const redacted = r.redact(text).text;
    expect(restorePlaceholders(redacted, r.vault(), ['email', 'phone', 'iban', 'name', 'address']).value).toBe(text);
  });

  it('keeps names and addresses hidden unless they are allowed by name', () => {
    const r = new PiiRedactor();
    const redacted = r.redact('Ship to Dana Whitfield, 12 Baker Street, London NW1 6XE, mail dana@initech.example').text;
    expect(redacted).toBe('Ship to [NAME_1], [ADDRESS_1], mail [EMAIL_1]');
    expect(restorePlaceholders(redacted, r.vault(), ['email'])).toEqual({
      value: 'Ship to [NAME_1], [ADDRESS_1], mail dana@initech.example',
      restored: ['email'],
      refused: ['[NAME_1]', '[ADDRESS_1]'],
      unknown: [],
    });
  });
});

describe('placeholdersIn', () => {
  it('lists each placeholder once, in order, from strings, arrays and keys', () => {
    expect(placeholdersIn({ '[IP_1]': ['[EMAIL_2] and [EMAIL_2]'], x: '[SECRET_1] [NOT_1]' })).toEqual(['[IP_1]', '[EMAIL_2]', '[SECRET_1]']);
  });
});
