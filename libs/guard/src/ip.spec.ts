import { detectIps, ipv4Valid, parseIpv6 } from './ip';

describe('ipv4Valid', () => {
  it.each(['0.0.0.0', '10.0.0.1', '255.255.255.255', '192.168.1.20'])('accepts %s', (v) => expect(ipv4Valid(v)).toBe(true));
  it.each(['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', 'a.b.c.d'])('rejects %s', (v) => expect(ipv4Valid(v)).toBe(false));
});

describe('parseIpv6', () => {
  it.each([
    ['2001:db8::1', ['2001', 'db8', '0', '0', '0', '0', '0', '1']],
    ['::', ['0', '0', '0', '0', '0', '0', '0', '0']],
    ['::ffff:192.0.2.128', ['0', '0', '0', '0', '0', 'ffff', 'c000', '280']],
    ['2001:0DB8:85A3:0000:0000:8A2E:0370:7334', ['2001', '0db8', '85a3', '0000', '0000', '8a2e', '0370', '7334']],
    ['1:2:3:4:5:6:7::', ['1', '2', '3', '4', '5', '6', '7', '0']],
  ])('expands %s', (v, groups) => expect(parseIpv6(v)).toEqual(groups));

  it.each(['1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::1', 'g::1', '10:30:00', '::ffff:300.0.0.1', '1:2:3:4:5:6:7:8::'])('rejects %s', (v) =>
    expect(parseIpv6(v)).toBeUndefined(),
  );
});

describe('detectIps', () => {
  const found = (text: string): Array<[number, string]> => detectIps(text).map((s) => [s.version, text.slice(s.start, s.end)]);

  it('finds both versions in text order', () => {
    expect(found('a 2001:db8::7 b 10.1.2.3 c ::ffff:10.0.0.1.')).toEqual([
      [6, '2001:db8::7'],
      [4, '10.1.2.3'],
      [6, '::ffff:10.0.0.1'],
    ]);
  });

  it('drops a colon that closes the sentence', () => expect(found('address 2001:db8::1: down')).toEqual([[6, '2001:db8::1']]));

  it.each(['v1.2.3.4', 'version 1.2.3.4', 'section 1.2.3.4', '1.2.3.4.5', 'x10.0.0.1', '10.0.0.1x', 'cafe::beef', 'time 12:30:45'])('ignores %s', (text) =>
    expect(found(text)).toEqual([]),
  );
});
