import { bsnValid, codiceFiscaleValid, detectNationalIds, nirValid, spanishIdValid, ssnValid } from './national-id';

describe('ssnValid', () => {
  it.each(['536-22-1234', '001-01-0001', '899-99-9999', '536221234'])('accepts %s', (v) => expect(ssnValid(v)).toBe(true));
  it.each(['000-12-3456', '666-12-3456', '900-12-3456', '999-12-3456', '536-00-1234', '536-22-0000', '078-05-1120', '219-09-9999', '123-45-6789', '53622123'])(
    'rejects %s',
    (v) => expect(ssnValid(v)).toBe(false),
  );
});

describe('spanishIdValid', () => {
  it.each(['12345678Z', '12345678-Z', '00000000T', 'X1234567L', 'Y1234567X', 'Z1234567R', 'x1234567l'])('accepts %s', (v) => expect(spanishIdValid(v)).toBe(true));
  it.each(['12345678A', 'X1234567A', '1234567Z', 'W1234567L'])('rejects %s', (v) => expect(spanishIdValid(v)).toBe(false));
});

describe('bsnValid', () => {
  it.each(['111222333', '123456782', '1112.22.333'])('accepts %s', (v) => expect(bsnValid(v)).toBe(true));
  it.each(['111222334', '123456789', '000000000', '12345678'])('rejects %s', (v) => expect(bsnValid(v)).toBe(false));
});

describe('nirValid', () => {
  it.each(['185057800608491', '1 85 05 78 006 084 91', '2 55 08 2A 168 025 97'])('accepts %s', (v) => expect(nirValid(v)).toBe(true));
  it.each(['185057800608436', '585057800608491', '1 85 13 78 006 084 91'])('rejects %s', (v) => expect(nirValid(v)).toBe(false));
});

describe('codiceFiscaleValid', () => {
  it.each(['RSSMRA85T10A562S', 'MRTMTT91D08F205J', 'rssmra85t10a562s'])('accepts %s', (v) => expect(codiceFiscaleValid(v)).toBe(true));
  it.each(['RSSMRA85T10A562T', 'RSSMRA85T32A562S', 'RSSMRA85X10A562S'])('rejects %s', (v) => expect(codiceFiscaleValid(v)).toBe(false));
});

describe('detectNationalIds', () => {
  const found = (text: string): string[][] => detectNationalIds(text).map((s) => [s.type, text.slice(s.start, s.end)]);

  it('names the type of each id', () => {
    expect(found('SSN 536-22-1234, NINO AB123456C, DNI 12345678Z, NIE X1234567L, BSN 111222333, NIR 185057800608491, CF RSSMRA85T10A562S')).toEqual([
      ['us_ssn', '536-22-1234'],
      ['uk_nino', 'AB123456C'],
      ['es_dni', '12345678Z'],
      ['es_nie', 'X1234567L'],
      ['nl_bsn', '111222333'],
      ['fr_nir', '185057800608491'],
      ['it_cf', 'RSSMRA85T10A562S'],
    ]);
  });

  it('needs a cue for spaced or plain SSNs and for BSNs', () => {
    expect(found('id 536 22 1234 and 111222333')).toEqual([]);
    expect(found('social security no. 536 22 1234')).toEqual([['us_ssn', '536 22 1234']]);
  });

  it('does not take part of a longer dashed number', () => {
    expect(found('ISBN 978-3-16-148410-0, part 12-536-22-1234, 536-22-1234-5')).toEqual([]);
  });
});
