import { detectAddresses } from './addresses';

const found = (text: string): string[] => detectAddresses(text).map((s) => text.slice(s.start, s.end));

describe('detectAddresses', () => {
  it.each([
    ['US, with a unit, state and ZIP', 'Ship to 1600 Pennsylvania Ave NW, Suite 200, Washington, DC 20500 today', '1600 Pennsylvania Ave NW, Suite 200, Washington, DC 20500'],
    ['US, an ordinal street', 'Our office: 350 5th Avenue, New York, NY 10118.', '350 5th Avenue, New York, NY 10118'],
    ['UK, a flat and a postcode', 'Flat 3, 221B Baker Street, London NW1 6XE', 'Flat 3, 221B Baker Street, London NW1 6XE'],
    ['German, one word', 'Lieferung an Lindenstr. 12a, 10115 Berlin bitte', 'Lindenstr. 12a, 10115 Berlin'],
    ['German, two words', 'Berliner Straße 10, 80331 München', 'Berliner Straße 10, 80331 München'],
    ['French', 'au 12 bis rue de la Paix, 75002 Paris.', '12 bis rue de la Paix, 75002 Paris'],
    ['Spanish, with the floor', 'Calle Mayor 5, 2º B, 28013 Madrid', 'Calle Mayor 5, 2º B, 28013 Madrid'],
    ['Italian', 'consegna in Via Roma 10, 20121 Milano entro lunedì', 'Via Roma 10, 20121 Milano'],
    ['Brazilian', 'Av. Paulista, 1578 - apto 12, 01310-200 São Paulo', 'Av. Paulista, 1578 - apto 12, 01310-200 São Paulo'],
    ['Dutch', 'Kerkstraat 12-14, 1012 AB Amsterdam', 'Kerkstraat 12-14, 1012 AB Amsterdam'],
    ['Polish', 'ul. Marszałkowska 10/12, 00-950 Warszawa', 'ul. Marszałkowska 10/12, 00-950 Warszawa'],
    ['Turkish', 'Atatürk Cad. No: 12/3, Kadıköy/İstanbul adresine', 'Atatürk Cad. No: 12/3, Kadıköy/İstanbul'],
    ['Indian', 'deliver to 12, MG Road, Bengaluru 560001 please', '12, MG Road, Bengaluru 560001'],
    ['Japanese', '1-2-3 Shibuya, Shibuya-ku, Tokyo 150-0002', '1-2-3 Shibuya, Shibuya-ku, Tokyo 150-0002'],
    ['a PO box', 'Remit to P.O. Box 1234, Springfield, IL 62704.', 'P.O. Box 1234, Springfield, IL 62704'],
    ['a German post-office box', 'Postfach 10 12 34 is old; use Postfach 101234, 10115 Berlin', 'Postfach 101234, 10115 Berlin'],
    ['on two lines, the postcode below', 'Ship to:\n12 Baker Street\nLondon NW1 6XE\nThanks', '12 Baker Street\nLondon NW1 6XE'],
    ['on two lines, town, state and ZIP below', '123 Maple Street\nSpringfield, IL 62704', '123 Maple Street\nSpringfield, IL 62704'],
    ['the town after a comma, the sentence going on', 'moved to 45 Oak Road, Leeds last month', '45 Oak Road, Leeds'],
  ])('finds an address: %s', (_why, text, address) => expect(found(text)).toContain(address));

  it.each([
    ['a street without a house number', 'The shop on Oxford Street and the one on Main Street.'],
    ['a postcode and town alone', 'Warehouse 10115 Berlin, ZIP 94105-1234.'],
    ['an English "via" with a number after', 'sent via Amazon 2 days ago'],
    ['a road number', 'Take Route 66 to exit 12.'],
    ['counted things', 'Top 10 Ways to Save and 3 Key Points.'],
    ['rooms and buildings', 'Room 12, Building 3, Level 2.'],
    ['a season and a year', 'Spring 2024 and Summer 2025 collections.'],
    ['a German compound glued to a longer word', 'Hauptstraßenbahn 5'],
  ])('leaves %s alone', (_why, text) => expect(found(text)).toEqual([]));

  it('stops before a name that follows the street', () => {
    expect(found('Meet at 12 Baker Street, Dana will wait.')).toEqual(['12 Baker Street']);
  });

  it('stops at a capitalised word after the town', () => {
    expect(found('12 Baker Street, Leeds Office hours apply')).toEqual(['12 Baker Street']);
  });

  it('reads long runs of near-misses in linear time', () => {
    const text = ['12 Main '.repeat(3_000), 'Calle Via Rua '.repeat(2_000), 'A'.repeat(20_000), 'ul. '.repeat(3_000), 'Straße '.repeat(3_000)].join(' ');
    expect(found(text)).toEqual([]);
  });
});
