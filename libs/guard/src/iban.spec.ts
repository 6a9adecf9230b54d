import fc from 'fast-check';
import { IBAN_LENGTHS, detectIbans, ibanRemainder, ibanShapes, ibanValid } from './iban';

describe('ibanValid', () => {
  it.each([
    'DE89370400440532013000',
    'GB82WEST12345698765432',
    'NL91ABNA0417164300',
    'FR1420041010050500013M02606',
    'BE68539007547034',
    'CH9300762011623852957',
    'NO9386011117947',
    'MT84MALT011000012345MTLCAST001S',
    'ES91 2100 0418 4502 0005 1332',
    'de89370400440532013000',
    'gb82 west 1234 5698 7654 32',
    'Nl91 Abna 0417 1643 00',
  ])('accepts %s', (iban) => expect(ibanValid(iban)).toBe(true));

  it.each([
    ['check digits off by one', 'DE88370400440532013000'],
    ['one digit changed', 'DE89370400440532013001'],
    ['too short for DE', 'DE8937040044053201300'],
    ['unknown country', 'XX89370400440532013000'],
    ['lower case with wrong check digits', 'de88370400440532013000'],
    ['letters as check digits', 'DEAB370400440532013000'],
  ])('rejects %s', (_why, iban) => expect(ibanValid(iban)).toBe(false));

  it('covers the common European countries and a few others', () => {
    const europe = ['AT', 'BE', 'BG', 'CH', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GB', 'GR', 'HR', 'HU', 'IE', 'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MC', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK'];
    for (const c of [...europe, 'BR', 'SA', 'AE', 'TR', 'IL']) expect(IBAN_LENGTHS[c]).toBeGreaterThanOrEqual(15);
  });

  it('catches every single-character change of a valid IBAN', () => {
    const valid = 'GB82WEST12345698765432';
    fc.assert(
      fc.property(fc.integer({ min: 4, max: valid.length - 1 }), fc.integer({ min: 1, max: 9 }), (i, delta) => {
        const ch = valid[i];
        const changed = /\d/.test(ch) ? String((Number(ch) + delta) % 10) : String.fromCharCode(((ch.charCodeAt(0) - 65 + delta) % 26) + 65);
        return !ibanValid(valid.slice(0, i) + changed + valid.slice(i + 1));
      }),
    );
  });

  it('computes the mod-97 remainder of a valid IBAN as 1', () => expect(ibanRemainder('DE89370400440532013000')).toBe(1));
});

describe('detectIbans', () => {
  it('finds compact and grouped IBANs with their ranges', () => {
    const text = 'pay DE89370400440532013000 or GB82 WEST 1234 5698 7654 32 today';
    expect(detectIbans(text).map((s) => text.slice(s.start, s.end))).toEqual(['DE89370400440532013000', 'GB82 WEST 1234 5698 7654 32']);
  });

  it('stops at the country length, so following words are not read', () => {
    const text = 'DE89 3704 0044 0532 0130 00 1234 is the account';
    expect(detectIbans(text).map((s) => text.slice(s.start, s.end))).toEqual(['DE89 3704 0044 0532 0130 00']);
  });

  it.each([
    ['pay gb82 west 1234 5698 7654 32 today', 'gb82 west 1234 5698 7654 32'],
    ['iban: de89370400440532013000.', 'de89370400440532013000'],
    ['Gb82 West 1234 5698 7654 32', 'Gb82 West 1234 5698 7654 32'],
    ['fr14 2004 1010 0505 0001 3m02 606', 'fr14 2004 1010 0505 0001 3m02 606'],
  ])('misses an IBAN in lower or mixed case: %s', (text, iban) => {
    expect(detectIbans(text).map((s) => text.slice(s.start, s.end))).toEqual([iban]);
  });

  it.each([
    ['a lower-case IBAN with wrong check digits', 'de88 3704 0044 0532 0130 00'],
    ['a hash that starts like an IBAN', 'commit de89370400440532013000af31'],
    ['a word glued in front', 'xde89370400440532013000'],
  ])('finds no IBAN in %s', (_why, text) => expect(detectIbans(text)).toEqual([]));

  it('reports IBAN shapes with bad check digits as invalid', () => {
    expect(ibanShapes('DE88 3704 0044 0532 0130 00')).toEqual([{ start: 0, end: 27, valid: false }]);
    expect(detectIbans('DE88 3704 0044 0532 0130 00')).toEqual([]);
  });
});
