import { ALNUM, BASE64URL, DIGITS, HEX, LOWER, Rng, UPPER } from './rng';

/**
 * Generators of realistic values: valid ones for every entity kind, and look-alikes a
 * redactor must leave alone (ids, dates, amounts, versions, and numbers whose check
 * digits are wrong). Each takes the corpus's seeded generator. Check digits are
 * computed here, independently of the detectors, so a bug there shows in the evaluation.
 */

// ---------------------------------------------------------------- people and places

export const FIRST_NAMES = ['Dana', 'Luis', 'Amélie', 'Jonas', 'Priya', 'Kenji', 'Olivia', 'Mateo', 'Fatima', 'Sven', 'Chiara', 'Noah', 'Ingrid', 'Omar', 'Lucía', 'Pieter', 'Mei', 'Tomás', 'Grace', 'Élodie'];
export const LAST_NAMES = ['Whitfield', 'García', 'Dubois', 'Schneider', 'Patel', 'Tanaka', 'Brown', 'Rossi', 'Haddad', 'Lindqvist', 'Bianchi', 'Okafor', 'Jensen', 'Farouk', 'Fernández', 'de Vries', 'Chen', 'Silva', 'Murphy', 'Martin'];
export const COMPANIES = ['Initech', 'Globex', 'Umbrella Logistics', 'Acme Corp', 'Hooli', 'Vandelay Industries', 'Stark Freight', 'Nordwind GmbH', 'Soylent Foods', 'Tyrell Systems', 'Pied Piper', 'Wayne Textiles'];
export const CITIES = ['Berlin', 'Madrid', 'Lyon', 'Rotterdam', 'Milan', 'Leeds', 'Austin', 'Toronto', 'Lisbon', 'Vienna', 'Dublin', 'Zurich'];
export const PRODUCTS = ['the X200 router', 'a standing desk', 'the Pro plan', 'two licences', 'the annual subscription', 'a replacement charger', 'the onboarding package', 'ten pallets of paper'];

/** Groups of `size` characters: '12345678' → ['1234', '5678']. */
const groupsOf = (s: string, size: number): string[] => Array.from({ length: Math.ceil(s.length / size) }, (_, i) => s.slice(i * size, (i + 1) * size));

const ascii = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase();

export function firstName(r: Rng): string {
  return r.pick(FIRST_NAMES);
}

export function fullName(r: Rng): string {
  return `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`;
}

// ---------------------------------------------------------------- names and addresses (entities)

/**
 * Given names and surnames for labelled person names. The first pool fills the tuning
 * templates; the held-out pool fills the held-out templates only. Both mix the cultures
 * a support inbox sees, and some names are also words or places (June, Sofia).
 */
export const PERSON_FIRST = [
  ...FIRST_NAMES,
  'Wojciech', 'Ayşe', 'Arjun', 'Hiroshi', 'Yusuf', 'Sofia', 'Giulia', 'Thomas', 'Maria', 'Jan', 'Emre', 'Xiaoming', 'Sakura', 'Layla', 'João',
  'Camille', 'Lukas', 'Daan', 'Zofia', 'Deepika', 'Carlos', 'Anna', 'Mohammed', 'Yuki', 'Francesca', 'Henrik', 'Aaliyah', 'Ravi', 'Wei', 'Beatriz',
];
export const PERSON_LAST = [
  ...LAST_NAMES,
  'Kowalski', 'Yılmaz', 'Sharma', 'Suzuki', 'Müller', 'Costa', 'Nowak', 'Wang', 'Al-Sayed', 'van den Berg', 'Moreau', 'Ricci', 'Santos', 'Kaya',
  'Singh', 'Nakamura', 'Janssen', 'Lefebvre', 'Hoffmann', 'Ferreira', 'Thompson', 'Mendoza', 'Khan', 'Lee', 'Bauer',
];
export const HELD_OUT_FIRST = [
  'Marguerite', 'Bartosz', 'Oluwaseun', 'Thandiwe', 'Siobhan', 'Ngozi', 'Dmitri', 'Anneliese', 'Rafael', 'Camila', 'Joaquín', 'Gonçalo', 'Matthias',
  'Friederike', 'Lorenzo', 'Benedetta', 'Maarten', 'Femke', 'Agnieszka', 'Krzysztof', 'Mehmet', 'Zeynep', 'Rohan', 'Ananya', 'Lakshmi', 'Jun', 'Xiu',
  'Haruto', 'Yui', 'Khalid', 'Mustafa', 'Siddharth', 'Eleanor', 'Harriet', 'Declan', 'Callum', 'Léa', 'Mathis', 'Hamza', 'Nasrin', 'Bao', 'Minh',
  'Eszter', 'Nikos', 'Ingeborg', 'Aoife', 'Chidi', 'Wanjiru', 'Ramón', 'Inês', 'Marek', 'Tuğba', 'Kavya', 'Takumi', 'Ayumi', 'Tariq',
];
export const HELD_OUT_LAST = [
  'Okonkwo', 'Wiśniewski', 'Kamińska', 'Demir', 'Öztürk', 'Iyer', 'Reddy', 'Liu', 'Zhang', 'Watanabe', 'Kobayashi', 'Al-Amin', 'Mansour',
  'Fitzgerald', "O'Connor", 'MacLeod', 'Lambert', 'Girard', 'Vogel', 'Krüger', 'Esposito', 'Romano', 'Bakker', 'Visser', 'van Dijk', 'Pereira',
  'Oliveira', 'Álvarez', 'Navarro', 'Moreno Ruiz', 'Nguyen', 'Park', 'Papadopoulos', 'Nagy', 'Kariuki', 'Adeyemi', 'Johansson', 'Whitaker',
];

function nameFrom(r: Rng, first: readonly string[], last: readonly string[]): string {
  const f = r.pick(first);
  const l = r.pick(last);
  return r.chance(0.1) ? `${f} ${r.chars(1, 'ABCDEFGHJKLMNPRSTW')}. ${l}` : `${f} ${l}`;
}

/** A person's full name (tuning pool), sometimes with a middle initial. */
export const personName = (r: Rng): string => nameFrom(r, PERSON_FIRST, PERSON_LAST);
export const givenName = (r: Rng): string => r.pick(PERSON_FIRST);
export const surname = (r: Rng): string => r.pick(PERSON_LAST);
/** The same from the held-out pool. */
export const heldOutName = (r: Rng): string => nameFrom(r, HELD_OUT_FIRST, HELD_OUT_LAST);
export const heldOutGiven = (r: Rng): string => r.pick(HELD_OUT_FIRST);
export const heldOutSurname = (r: Rng): string => r.pick(HELD_OUT_LAST);

export const TITLES = ['Mr', 'Mr.', 'Mrs', 'Ms', 'Ms.', 'Dr', 'Dr.', 'Prof.'];

const US_PLACES: ReadonlyArray<[string, string]> = [['Springfield', 'IL'], ['Portland', 'OR'], ['Austin', 'TX'], ['Denver', 'CO'], ['Madison', 'WI'], ['Raleigh', 'NC'], ['San Jose', 'CA'], ['Columbus', 'OH']];
const EN_STREETS = ['Maple', 'Oak', 'Baker', 'High', 'Church', 'Mill', 'Elm', 'Washington', 'Lincoln', 'Park', 'Station', 'Victoria', 'King', 'Queen', 'Cedar', 'Willow', 'Sunset', 'Market', 'Harbour', 'Green'];
const US_TYPES = ['Street', 'St', 'St.', 'Avenue', 'Ave', 'Ave.', 'Road', 'Rd', 'Boulevard', 'Blvd', 'Lane', 'Ln', 'Drive', 'Dr', 'Way', 'Court', 'Place'];
const UK_TYPES = ['Street', 'Road', 'Lane', 'Close', 'Avenue', 'Crescent', 'Terrace', 'Gardens', 'Square', 'Way'];
const UK_TOWNS: ReadonlyArray<[string, string]> = [['London', 'NW1 6XE'], ['London', 'SW1A 2AA'], ['Manchester', 'M1 1AE'], ['Leeds', 'LS1 4AP'], ['Bristol', 'BS1 5TR'], ['Edinburgh', 'EH1 1YZ'], ['Cardiff', 'CF10 1EP'], ['Oxford', 'OX1 2JD']];
const DE_STEMS = ['Haupt', 'Bahnhof', 'Linden', 'Schiller', 'Goethe', 'Garten', 'Kirch', 'Berg', 'Wald', 'Rosen', 'Mozart', 'Friedrich'];
const DE_TYPES = ['straße', 'strasse', 'str.', 'weg', 'gasse', 'allee', 'platz'];
const DE_TOWNS = ['10115 Berlin', '80331 München', '20095 Hamburg', '50667 Köln', '60311 Frankfurt am Main', '70173 Stuttgart', '04109 Leipzig', '1010 Wien', '8001 Zürich'];
const FR_STREETS = ['rue de la Paix', 'rue Victor Hugo', 'avenue des Champs-Élysées', 'boulevard Saint-Germain', 'rue du Faubourg Saint-Honoré', 'place Bellecour', 'rue Nationale', 'avenue Jean Jaurès', 'chemin des Vignes', 'allée des Tilleuls', 'quai de la Loire', 'impasse des Lilas'];
const FR_TOWNS = ['75002 Paris', '69002 Lyon', '13001 Marseille', '31000 Toulouse', '33000 Bordeaux', '59000 Lille', '44000 Nantes', '67000 Strasbourg'];
const ES_STREETS = ['Calle Mayor', 'Calle de Alcalá', 'Avenida de la Constitución', 'Paseo de la Castellana', 'Calle Gran Vía', 'Plaza Mayor', 'Avenida Diagonal', 'Calle del Carmen', 'Carrer de Balmes', 'Camino Real'];
const ES_TOWNS = ['28013 Madrid', '08008 Barcelona', '41001 Sevilla', '46002 Valencia', '29015 Málaga', '48001 Bilbao'];
const IT_STREETS = ['Via Roma', 'Via Garibaldi', 'Via Dante Alighieri', 'Corso Vittorio Emanuele', 'Piazza del Duomo', 'Viale Monza', 'Via Giuseppe Verdi', 'Via della Repubblica'];
const IT_TOWNS = ['20121 Milano', '00184 Roma', '10121 Torino', '50123 Firenze', '40121 Bologna', '80133 Napoli'];
const PT_STREETS = ['Rua Augusta', 'Rua das Flores', 'Avenida Paulista', 'Av. Brasil', 'Rua da Consolação', 'Travessa do Carmo', 'Avenida da Liberdade', 'Rua Oscar Freire'];
const PT_TOWNS = ['01310-200 São Paulo', '20040-002 Rio de Janeiro', '1100-048 Lisboa', '4000-322 Porto', '30130-010 Belo Horizonte'];
const NL_STEMS = ['Kerk', 'Molen', 'Dorps', 'Stations', 'Heren', 'Prinsen', 'Lange', 'Nieuwe'];
const NL_TYPES = ['straat', 'weg', 'laan', 'gracht', 'plein', 'kade', 'singel'];
const NL_TOWNS = ['1012 AB Amsterdam', '3011 AD Rotterdam', '2511 CV Den Haag', '3511 LN Utrecht', '9711 LM Groningen', '1000 Brussel'];
const PL_STREETS = ['ul. Marszałkowska', 'ul. Długa', 'ul. Piotrkowska', 'al. Jerozolimskie', 'ul. Floriańska', 'ul. Mickiewicza', 'pl. Wolności', 'ul. Kościuszki'];
const PL_TOWNS = ['00-950 Warszawa', '31-019 Kraków', '90-001 Łódź', '80-831 Gdańsk', '50-001 Wrocław', '61-001 Poznań'];
const TR_STREETS = ['Atatürk Cad.', 'Bağdat Caddesi', 'İstiklal Caddesi', 'Cumhuriyet Cad.', 'Gül Sokak', 'Lale Sk.'];
const TR_TOWNS = ['Kadıköy/İstanbul', 'Beyoğlu/İstanbul', 'Çankaya/Ankara', 'Konak/İzmir'];
const IN_STREETS = ['MG Road', 'Park Street', 'Linking Road', 'Brigade Road', 'Anna Salai', 'Nehru Place'];
const IN_TOWNS = ['Bengaluru 560001', 'Kolkata 700016', 'Mumbai 400050', 'Chennai 600002', 'New Delhi 110019'];
const JP_TOWNS = ['Shibuya, Shibuya-ku, Tokyo 150-0002', 'Umeda, Kita-ku, Osaka 530-0001', 'Sakae, Naka-ku, Nagoya 460-0008', 'Ginza, Chuo-ku, Tokyo 104-0061'];

const houseNumber = (r: Rng): string => String(r.int(1, r.chance(0.3) ? 2500 : 180));

/** A postal address: the street line and, mostly, the locality (postcode, town, state). */
function addressParts(r: Rng): string[] {
  const n = houseNumber(r);
  switch (r.int(0, 11)) {
    case 0: {
      const [city, state] = r.pick(US_PLACES);
      const unit = r.chance(0.3) ? `, ${r.pick(['Apt', 'Suite', 'Unit', '#'])} ${r.int(1, 40)}${r.pick(['', 'B'])}` : '';
      return [`${n} ${r.chance(0.2) ? `${r.pick(['N', 'S', 'E', 'W'])} ` : ''}${r.pick(EN_STREETS)} ${r.pick(US_TYPES)}${unit}`, `${city}, ${state} ${r.digits(5, false)}`];
    }
    case 1: {
      const [town, postcode] = r.pick(UK_TOWNS);
      const flat = r.chance(0.25) ? `Flat ${r.int(1, 20)}, ` : '';
      return [`${flat}${n} ${r.pick(EN_STREETS)} ${r.pick(UK_TYPES)}`, `${town} ${postcode}`];
    }
    case 2:
      return [`${r.pick(DE_STEMS)}${r.pick(DE_TYPES)} ${n}${r.pick(['', '', 'a', 'b'])}`, r.pick(DE_TOWNS)];
    case 3:
      return [`${n}${r.pick(['', '', ' bis', ','])} ${r.pick(FR_STREETS)}`, r.pick(FR_TOWNS)];
    case 4:
      return [`${r.pick(ES_STREETS)}${r.pick([' ', ', '])}${n}${r.pick(['', ', 2º B', ', 3.º izq.'])}`, r.pick(ES_TOWNS)];
    case 5:
      return [`${r.pick(IT_STREETS)}${r.pick([' ', ', '])}${n}`, r.pick(IT_TOWNS)];
    case 6:
      return [`${r.pick(PT_STREETS)}, ${n}${r.pick(['', ' - apto 12'])}`, r.pick(PT_TOWNS)];
    case 7:
      return [`${r.pick(NL_STEMS)}${r.pick(NL_TYPES)} ${n}`, r.pick(NL_TOWNS)];
    case 8:
      return [`${r.pick(PL_STREETS)} ${n}${r.chance(0.4) ? `/${r.int(1, 60)}` : ''}`, r.pick(PL_TOWNS)];
    case 9:
      return [`${r.pick(TR_STREETS)} No: ${n}${r.chance(0.4) ? `/${r.int(1, 20)}` : ''}`, r.pick(TR_TOWNS)];
    case 10:
      return r.chance(0.5) ? [`${n}, ${r.pick(IN_STREETS)}`, r.pick(IN_TOWNS)] : [`${r.int(1, 9)}-${r.int(1, 30)}-${r.int(1, 20)} ${r.pick(JP_TOWNS)}`];
    default: {
      const [city, state] = r.pick(US_PLACES);
      return r.pick([
        [`PO Box ${r.int(10, 99999)}`, `${city}, ${state} ${r.digits(5, false)}`],
        [`P.O. Box ${r.int(10, 9999)}`],
        [`Postfach ${r.int(100, 999999)}`, r.pick(DE_TOWNS)],
        [`Apartado de Correos ${r.int(1, 9999)}`, r.pick(ES_TOWNS)],
      ]);
    }
  }
}

/** A postal address as people write it in one line, in the formats of several countries. */
export function address(r: Rng): string {
  return addressParts(r).join(', ');
}

/** An address on two lines, as on an envelope or in a signature. */
export function addressLines(r: Rng): string {
  return addressParts(r).join('\n');
}

// ---------------------------------------------------------------- look-alikes of names and addresses

/** Companies, some named after a person; a company is not a person's name. */
export const NEAR_MISS_COMPANIES = ['Hugo Boss', 'Tim Hortons', 'Johnson Controls', 'Globex', 'Nordwind GmbH', 'Acme Corp', 'Stark Freight', 'Wayne Textiles', 'Blue Harbor Capital', 'Silver Oak Systems', 'Maple Leaf Foods', 'Red Rock Analytics', 'Golden Gate Software', 'Bright Star Logistics'];
/** Cities alone, several also given names. */
export const NEAR_MISS_CITIES = ['Florence', 'Victoria', 'Charlotte', 'Sofia', 'Adelaide', 'Santiago', 'Orlando', 'Regina', 'Austin', 'Jackson', 'Lincoln', 'Berlin', 'São Paulo', 'New York', 'Eugene', 'Madison'];
/** Capitalised product names, some with a given name in them. */
export const NEAR_MISS_PRODUCTS = ['Galaxy Note 20', 'Surface Pro 9', 'Kindle Paperwhite', 'Air Jordan 1', 'ThinkPad X1 Carbon', 'Model Y', 'Echo Dot', 'Office 365', 'Pixel 8 Pro', 'Fiat Panda', 'Mercedes Sprinter', 'Alexa Show'];
/** Streets and places named without a house number: a place, not a postal address. */
export const NEAR_MISS_PLACES = ['Oxford Street', 'Wall Street', 'the Champs-Élysées', 'Main Street', 'Times Square', 'Alexanderplatz', 'Gran Vía', 'the High Street', 'Fifth Avenue', 'Piazza San Marco'];
/** Words that open sentences and are also given names. */
export const SENTENCE_OPENERS = ['Will', 'May', 'Mark', 'Grace', 'Hope', 'Bill', 'Rose', 'Faith', 'Sunny', 'Art', 'Iris', 'Joy'];

/** Dates with month and weekday names. */
export function namedDate(r: Rng): string {
  const month = r.pick(['January', 'March', 'April', 'May', 'June', 'July', 'August', 'December']);
  const day = r.pick(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']);
  return r.pick([`${day}, ${month} ${r.int(1, 28)}`, `${r.int(1, 28)} ${month} ${r.int(2019, 2027)}`, `${month} ${r.int(2019, 2027)}`, `${day} ${r.int(1, 28)} ${month}`]);
}

// ---------------------------------------------------------------- more phone, card and IBAN layouts

/** Numbers with an extension, as one entity. */
export function phoneWithExtension(r: Rng): string {
  return `${phone(r)}${r.pick([` x${r.int(2, 9999)}`, ` ext. ${r.int(1, 999)}`, ` ext ${r.int(1, 999)}`, `x${r.int(10, 999)}`, ` (ext. ${r.int(1, 999)})`])}`;
}

/** National layouts written without a country code or a telling label. */
export function phoneNational(r: Rng): string {
  const d = (n: number): string => r.digits(n);
  return r.pick([
    `${r.int(2, 9)}${d(2)} ${r.int(2, 9)}${d(2)}-${d(4)}`,
    `(${r.int(11, 99)}) 9${d(4)}-${d(4)}`,
    `(+${r.pick(['44', '49', '33', '34', '39', '31'])}) ${d(2)} ${d(4)} ${d(4)}`,
    `0${r.int(30, 89)}/${d(7)}`,
    `01${r.int(50, 79)}/${d(7)}`,
    `8 (${r.int(300, 999)}) ${d(3)}-${d(2)}-${d(2)}`,
    `0${r.int(1, 9)} ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
    `${r.int(2, 9)}${d(2)}.${r.int(2, 9)}${d(2)}.${d(4)}`,
  ]);
}

/** A Maestro card of 12 to 19 digits, in one block or in fours. */
export function maestroCard(r: Rng): string {
  for (;;) {
    const length = r.pick([12, 12, 13, 16, 19]);
    const prefix = r.pick(['5018', '5020', '5038', '5893', '6304', '6759', '6761', '6762', '6763']);
    const n = withLuhn(prefix + r.digits(length - prefix.length - 1));
    if (!/^(\d)\1+$/.test(n)) return r.chance(0.5) ? n : groupsOf(n, 4).join(r.pick([' ', '-']));
  }
}

/** An IBAN typed in lower case or with capitalised groups. */
export function ibanAnyCase(r: Rng): string {
  const printed = iban(r);
  return r.chance(0.6) ? printed.toLowerCase() : printed.toLowerCase().replace(/(^|\s)([a-z])/g, (_, gap: string, c: string) => gap + c.toUpperCase());
}

// ---------------------------------------------------------------- e-mail

const DOMAINS = ['initech.example', 'globex.com', 'mail.acme-corp.io', 'umbrella.co.uk', 'posteo.de', 'gmail.com', 'outlook.fr', 'correo.es', 'hooli.dev', 'uni-heidelberg.de', 'stark-freight.nl', 'example.org', 'sub.mail.tyrell.systems'];

export function email(r: Rng): string {
  const f = ascii(r.pick(FIRST_NAMES));
  const l = ascii(r.pick(LAST_NAMES));
  const local = r.pick([`${f}.${l}`, `${f[0]}${l}`, `${f}${r.int(1, 99)}`, `${f}_${l}`, `${f}+${r.pick(['orders', 'news', 'tickets'])}`, `${l}.${f}`, r.pick(['billing', 'support', 'ops', 'hr-team', 'no-reply'])]);
  const address = `${local}@${r.pick(DOMAINS)}`;
  return r.chance(0.1) ? address.replace(/^./, (c) => c.toUpperCase()) : address;
}

// ---------------------------------------------------------------- phone

/** Phone numbers in the formats people write them, each recognisable without a cue word. */
export function phone(r: Rng): string {
  const d = (n: number): string => r.digits(n);
  const us = (): [string, string, string] => [`${r.int(2, 9)}${d(2)}`, `${r.int(2, 9)}${d(2)}`, d(4)];
  const [a, b, c] = us();
  return r.pick([
    `+1 ${a} ${b} ${c}`,
    `(${a}) ${b}-${c}`,
    `${a}-${b}-${c}`,
    `${a}.${b}.${c}`,
    `+1-${a}-${b}-${c}`,
    `1-800-${b}-${c}`,
    `+44 20 ${d(4)} ${d(4)}`,
    `+44 7${d(3)} ${d(6)}`,
    `020 ${d(4)} ${d(4)}`,
    `07${d(3)} ${d(6)}`,
    `+44 (0)20 ${d(4)} ${d(4)}`,
    `+49 30 ${d(7)}`,
    `+49 151 ${d(8)}`,
    `030 ${d(7)}`,
    `0151 ${d(8)}`,
    `+33 1 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
    `06 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
    `01.${d(2)}.${d(2)}.${d(2)}.${d(2)}`,
    `+34 6${d(2)} ${d(3)} ${d(3)}`,
    `+31 6 ${d(8)}`,
    `06-${d(8)}`,
    `+39 06 ${d(4)} ${d(4)}`,
    `+39 3${d(2)} ${d(3)} ${d(4)}`,
    `+91 9${d(4)} ${d(5)}`,
    `+61 2 ${d(4)} ${d(4)}`,
    `+81-3-${d(4)}-${d(4)}`,
    `0049 30 ${d(7)}`,
    `+4915${d(9)}`,
  ]);
}

/** National numbers without an international prefix or a telling format: readable as phones only after a cue word. */
export function phonePlain(r: Rng): string {
  return r.pick([
    `${r.int(2, 9)}${r.digits(9)}`,
    `6${r.digits(2)} ${r.digits(3)} ${r.digits(3)}`,
    `3${r.digits(2)} ${r.digits(3)} ${r.digits(4)}`,
    `${r.digits(5, false)} ${r.digits(5)}`,
    `0${r.digits(9, false)}`,
  ]);
}

// ---------------------------------------------------------------- cards

/** Appends the Luhn check digit: doubling every second digit from the right of the full number. */
function withLuhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const n = Number(body[body.length - 1 - i]);
    const doubled = i % 2 === 0 ? n * 2 : n;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** ISO 7064 mod 97-10 of an alphanumeric string, letters as 10–35. */
function mod97(value: string): number {
  const numeric = value.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return Number(BigInt(numeric) % 97n);
}

function groupCard(r: Rng, n: string): string {
  if (n.length === 15) return r.chance(0.6) ? `${n.slice(0, 4)} ${n.slice(4, 10)} ${n.slice(10)}` : n;
  if (n.length === 14) return r.chance(0.5) ? `${n.slice(0, 4)} ${n.slice(4, 10)} ${n.slice(10)}` : n;
  const style = r.int(0, 2);
  if (style === 0) return n;
  return groupsOf(n, 4).join(style === 1 ? ' ' : '-');
}

export function cardNumber(r: Rng): string {
  const brand = r.int(0, 5);
  const body =
    brand === 0
      ? `4${r.digits(14)}`
      : brand === 1
        ? `5${r.int(1, 5)}${r.digits(13)}`
        : brand === 2
          ? `3${r.pick(['4', '7'])}${r.digits(12)}`
          : brand === 3
            ? `6011${r.digits(11)}`
            : brand === 4
              ? `35${r.int(28, 89)}${r.digits(11)}`
              : `36${r.digits(11)}`;
  return withLuhn(body);
}

export function card(r: Rng): string {
  let n = cardNumber(r);
  while (/^(\d)\1+$/.test(n)) n = cardNumber(r);
  return groupCard(r, n);
}

/** A card-shaped number whose Luhn check fails. */
export function badCard(r: Rng): string {
  const n = cardNumber(r);
  const last = (Number(n[n.length - 1]) + r.int(1, 9)) % 10;
  return groupCard(r, n.slice(0, -1) + last);
}

// ---------------------------------------------------------------- IBAN

/** BBAN layouts: n digits, a capitals, c capitals or digits. */
const BBAN: Record<string, string> = {
  DE: '18n', AT: '16n', BE: '12n', CH: '5n12c', CZ: '20n', DK: '14n', EE: '16n', ES: '20n', FI: '14n', FR: '10n11c2n',
  GB: '4a14n', GR: '7n16c', HR: '17n', HU: '24n', IE: '4a14n', IT: '1a10n12c', LT: '16n', LU: '3n13c', LV: '4a13c',
  MT: '4a5n18c', NL: '4a10n', NO: '11n', PL: '24n', PT: '21n', RO: '4a16c', SE: '20n', SI: '15n', SK: '20n',
  BG: '4a6n8c', CY: '8n16c', IS: '22n', LI: '5n12c', MC: '10n11c2n', SM: '1a10n12c', BR: '23n1a1c', SA: '2n18c',
  AE: '3n16n', TR: '5n1n16c', IL: '19n', PK: '4a16c', UA: '6n19c', KZ: '3n13c', QA: '4a21c', TN: '20n', CR: '18n',
};
export const IBAN_COUNTRIES = Object.keys(BBAN);

function bban(r: Rng, layout: string): string {
  let out = '';
  for (const [, count, type] of layout.matchAll(/(\d+)([nac])/g)) {
    const n = Number(count);
    if (type === 'n') out += r.digits(n);
    else if (type === 'a') out += r.chars(n, UPPER);
    // Alphanumeric fields are mostly digits in practice.
    else for (let i = 0; i < n; i++) out += r.chance(0.15) ? r.chars(1, UPPER) : r.digits(1);
  }
  return out;
}

function printIban(r: Rng, compact: string): string {
  return r.chance(0.55) ? groupsOf(compact, 4).join(' ') : compact;
}

export function ibanCompact(r: Rng, country = r.pick(IBAN_COUNTRIES)): string {
  const body = bban(r, BBAN[country]);
  const check = 98 - mod97(`${body}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${body}`;
}

export function iban(r: Rng): string {
  return printIban(r, ibanCompact(r));
}

/** IBAN-shaped, right country and length, wrong check digits. */
export function badIban(r: Rng): string {
  const good = ibanCompact(r);
  // Check digits run 02–98 and exactly one of them is right for a given account.
  let check = Number(good.slice(2, 4));
  while (check === Number(good.slice(2, 4))) check = r.int(2, 98);
  return printIban(r, `${good.slice(0, 2)}${String(check).padStart(2, '0')}${good.slice(4)}`);
}

// ---------------------------------------------------------------- national ids

export function ssn(r: Rng): string {
  for (;;) {
    const area = r.int(1, 899);
    if (area === 666) continue;
    const value = `${String(area).padStart(3, '0')}-${String(r.int(1, 99)).padStart(2, '0')}-${String(r.int(1, 9999)).padStart(4, '0')}`;
    if (!['078-05-1120', '219-09-9999', '123-45-6789'].includes(value)) return value;
  }
}

/** SSN-shaped numbers the SSA never issues: area 000, 666 or 9xx, group 00, serial 0000. */
export function badSsn(r: Rng): string {
  const [a, g, s] = ssn(r).split('-');
  switch (r.int(0, 4)) {
    case 0:
      return `000-${g}-${s}`;
    case 1:
      return `666-${g}-${s}`;
    case 2:
      return `9${r.digits(2)}-${g}-${s}`;
    case 3:
      return `${a}-00-${s}`;
    default:
      return `${a}-${g}-0000`;
  }
}

const NINO_FIRST = 'ABCEGHJKLMNOPRSTWXYZ';
const NINO_SECOND = 'ABCEGHJKLMNPRSTWXYZ';

export function nino(r: Rng): string {
  let prefix = '';
  do prefix = r.chars(1, NINO_FIRST) + r.chars(1, NINO_SECOND);
  while (['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(prefix));
  const d = r.digits(6);
  const suffix = r.chars(1, 'ABCD');
  return r.chance(0.5) ? `${prefix} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${suffix}` : `${prefix}${d}${suffix}`;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

export function dni(r: Rng): string {
  const n = r.digits(8);
  const letter = DNI_LETTERS[Number(n) % 23];
  return r.chance(0.7) ? `${n}${letter}` : `${n}-${letter}`;
}

export function nie(r: Rng): string {
  const prefix = r.int(0, 2);
  const n = r.digits(7);
  const letter = DNI_LETTERS[Number(`${prefix}${n}`) % 23];
  return `${'XYZ'[prefix]}${n}${letter}`;
}

export function bsn(r: Rng): string {
  for (;;) {
    const d = r.digits(8, false);
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (9 - i) * Number(d[i]);
    const check = sum % 11;
    if (check === 10) continue;
    const value = d + check;
    return r.chance(0.75) ? value : `${value.slice(0, 4)}.${value.slice(4, 6)}.${value.slice(6)}`;
  }
}

export function nir(r: Rng): string {
  const sex = r.pick(['1', '2']);
  const year = r.digits(2);
  const month = String(r.int(1, 12)).padStart(2, '0');
  const dept = r.chance(0.05) ? r.pick(['2A', '2B']) : String(r.int(1, 95)).padStart(2, '0');
  const commune = String(r.int(1, 990)).padStart(3, '0');
  const order = String(r.int(1, 999)).padStart(3, '0');
  const body = `${sex}${year}${month}${dept}${commune}${order}`;
  const key = String(97n - (BigInt(body.replace('2A', '19').replace('2B', '18')) % 97n)).padStart(2, '0');
  return r.chance(0.6) ? `${sex} ${year} ${month} ${dept} ${commune} ${order} ${key}` : `${body}${key}`;
}

const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const CONSONANTS = 'BCDFGHJKLMNPQRSTVWXZ';

export function codiceFiscale(r: Rng): string {
  const day = r.int(1, 28) + (r.chance(0.5) ? 40 : 0);
  const body = `${r.chars(6, CONSONANTS)}${r.digits(2)}${r.pick('ABCDEHLMPRST'.split(''))}${String(day).padStart(2, '0')}${r.chars(1, 'ABCDEFGHILM')}${r.digits(3)}`;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = body[i];
    const index = ch >= '0' && ch <= '9' ? Number(ch) : ch.charCodeAt(0) - 65;
    sum += i % 2 === 0 ? CF_ODD[index] : index;
  }
  return body + String.fromCharCode(65 + (sum % 26));
}

// ---------------------------------------------------------------- IP addresses

export function ipv4(r: Rng): string {
  return r.pick([
    () => `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
    () => `192.168.${r.int(0, 255)}.${r.int(1, 254)}`,
    () => `172.${r.int(16, 31)}.${r.int(0, 255)}.${r.int(1, 254)}`,
    () => `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
  ])();
}

export function ipv6(r: Rng): string {
  const group = (): string => Number(r.int(0, 0xffff)).toString(16);
  const prefix = r.pick(['2001:db8', '2a00:1450', '2607:f8b0', 'fe80:', '2001:470', 'fd12:3456:789a']);
  const style = r.int(0, 3);
  if (style === 0) {
    // Full form, leading zeros printed.
    return Array.from({ length: 8 }, () => group().padStart(4, '0')).join(':');
  }
  if (style === 1) return [prefix.replace(/:$/, ''), ...Array.from({ length: 8 - prefix.split(':').filter(Boolean).length }, group)].join(':');
  const tail = Array.from({ length: r.int(1, 3) }, group).join(':');
  return `${prefix.replace(/:$/, '')}::${tail}`;
}

// ---------------------------------------------------------------- secrets

const b64url = (s: string): string => Buffer.from(s).toString('base64url');

export const SECRET_TYPES = ['openai', 'aws_id', 'github', 'slack', 'stripe', 'google', 'jwt', 'pem'] as const;

export function openaiKey(r: Rng): string {
  return r.chance(0.5) ? `sk-proj-${r.chars(r.int(48, 120), BASE64URL)}` : `sk-${r.chars(48, ALNUM)}`;
}

export function awsKeyId(r: Rng): string {
  return `${r.pick(['AKIA', 'ASIA'])}${r.chars(16, UPPER + '234567')}`;
}

export function awsSecret(r: Rng): string {
  return r.chars(40, ALNUM + '/+');
}

export function githubToken(r: Rng): string {
  return r.chance(0.8) ? `${r.pick(['ghp', 'gho', 'ghs', 'ghu'])}_${r.chars(36, ALNUM)}` : `github_pat_${r.chars(22, ALNUM)}_${r.chars(59, ALNUM)}`;
}

export function slackToken(r: Rng): string {
  return `xox${r.pick(['b', 'p', 'a', 'r'])}-${r.digits(12, false)}-${r.digits(13, false)}-${r.chars(24, ALNUM)}`;
}

export function stripeKey(r: Rng): string {
  return `${r.pick(['sk', 'rk'])}_live_${r.chars(r.int(24, 99), ALNUM)}`;
}

export function googleKey(r: Rng): string {
  return `AIza${r.chars(35, BASE64URL)}`;
}

export function jwt(r: Rng): string {
  const header = b64url(JSON.stringify(r.chance(0.5) ? { alg: 'HS256', typ: 'JWT' } : { alg: 'RS256', kid: r.chars(8, HEX) }));
  const payload = b64url(JSON.stringify({ sub: r.digits(8), name: fullName(r), iat: 1_700_000_000 + r.int(0, 9_999_999), role: r.pick(['admin', 'user']) }));
  return `${header}.${payload}.${r.chars(43, BASE64URL)}`;
}

export function pem(r: Rng): string {
  const kind = r.pick(['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY']);
  const lines = Array.from({ length: r.int(3, 8) }, () => r.chars(64, ALNUM + '+/'));
  return `-----BEGIN ${kind}-----\n${lines.join('\n')}\n-----END ${kind}-----`;
}

/** A key recognisable by its prefix or structure alone. */
export function prefixedSecret(r: Rng): string {
  const gen = { openai: openaiKey, aws_id: awsKeyId, github: githubToken, slack: slackToken, stripe: stripeKey, google: googleKey, jwt, pem }[r.pick(SECRET_TYPES)];
  return gen(r);
}

export function bearerToken(r: Rng): string {
  return r.chance(0.3) ? jwt(r) : r.chars(r.int(24, 64), ALNUM + '._-');
}

/** Passwords people choose, and generated ones. */
export function password(r: Rng): string {
  return r.pick([
    () => `${r.pick(['Summer', 'Winter', 'Autumn', 'Spring', 'Welcome', 'Dragon', 'Monkey', 'Sunshine'])}${r.int(2015, 2026)}${r.pick(['!', '#', '$', ''])}`,
    () => `${r.pick(['P@ssw0rd', 'Passw0rd', 'Adm1n', 'L3tm3in', 'Qwerty'])}${r.int(1, 999)}`,
    () => r.chars(r.int(10, 20), ALNUM + '!#$%^*-_'),
    () => `${r.chars(1, UPPER)}${r.chars(r.int(5, 8), LOWER)}${r.digits(2)}${r.pick(['!', '?', '&', '#'])}`,
  ])();
}

/** Values for api_key / token / client_secret fields: long hex or base64-ish strings. */
export function apiKeyValue(r: Rng): string {
  return r.pick([() => r.chars(32, HEX), () => r.chars(r.int(24, 48), ALNUM), () => `${r.chars(8, HEX)}-${r.chars(4, HEX)}-${r.chars(4, HEX)}-${r.chars(12, HEX)}${r.chars(6, ALNUM)}`])();
}

// ---------------------------------------------------------------- look-alikes (hard negatives)

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function orderNumber(r: Rng): string {
  return r.pick([`#${r.digits(9, false)}`, `ORD-${r.int(2019, 2026)}-${r.digits(6)}`, `PO ${r.digits(10, false)}`, `SO-${r.digits(5)}`, `${r.digits(7, false)}`, `A${r.digits(8)}`]);
}

export function date(r: Rng): string {
  const y = r.int(2015, 2027);
  const m = r.int(1, 12);
  const d = r.int(1, 28);
  return r.pick([`${y}-${pad(m)}-${pad(d)}`, `${pad(d)}.${pad(m)}.${y}`, `${pad(m)}/${pad(d)}/${y}`, `${d} ${r.pick(['March', 'April', 'June', 'October'])} ${y}`, `${y}/${pad(m)}/${pad(d)}`, `${pad(d)}-${pad(m)}-${y}`]);
}

export function amount(r: Rng): string {
  const whole = r.int(1, 2_000_000);
  const cents = pad(r.int(0, 99));
  return r.pick([
    `$${whole.toLocaleString('en-US')}.${cents}`,
    `€ ${whole.toLocaleString('de-DE')},${cents}`,
    `${whole.toLocaleString('fr-FR').replace(/\u202f/g, ' ')} EUR`,
    `USD ${whole.toLocaleString('en-US')}`,
    `£${whole}.${cents}`,
    `${whole.toLocaleString('en-US')} CHF`,
  ]);
}

export function version(r: Rng): string {
  return r.pick([`v${r.int(0, 12)}.${r.int(0, 30)}.${r.int(0, 99)}`, `${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 9)}`, `version ${r.int(1, 20)}.${r.int(0, 9)}.${r.int(0, 99)}.${r.int(0, 999)}`, `v${r.int(1, 10)}.${r.int(0, 9)}.${r.int(0, 9)}.${r.int(0, 9999)}`, `release ${r.int(1, 9)}.${r.int(0, 9)}.${r.int(0, 9)}.${r.int(0, 99)}`, `build 10.0.${r.int(10000, 22631)}.${r.int(1, 4000)}`]);
}

export function uuid(r: Rng): string {
  return `${r.chars(8, HEX)}-${r.chars(4, HEX)}-4${r.chars(3, HEX)}-${r.pick(['8', '9', 'a', 'b'])}${r.chars(3, HEX)}-${r.chars(12, HEX)}`;
}

export function gitSha(r: Rng): string {
  return r.chance(0.5) ? r.chars(40, HEX) : r.chars(7, HEX);
}

export function isbn(r: Rng): string {
  const body = `978${r.digits(9)}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  const check = (10 - (sum % 10)) % 10;
  const full = body + check;
  return r.chance(0.5) ? `${full.slice(0, 3)}-${full[3]}-${full.slice(4, 6)}-${full.slice(6, 12)}-${full[12]}` : full;
}

export function trackingNumber(r: Rng): string {
  return r.pick([
    `1Z${r.chars(6, UPPER + DIGITS)}${r.digits(10)}`,
    `9400 ${r.digits(4)} ${r.digits(4)} ${r.digits(4)} ${r.digits(4)} ${r.digits(2)}`,
    `${r.digits(12, false)}`,
    `JJD${r.digits(18)}`,
    `${r.chars(2, UPPER)}${r.digits(9)}${r.pick(['DE', 'GB', 'NL', 'US'])}`,
  ]);
}

export function timestamp(r: Rng): string {
  const y = r.int(2019, 2026);
  const t = `${pad(r.int(0, 23))}:${pad(r.int(0, 59))}:${pad(r.int(0, 59))}`;
  return r.pick([`${y}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}T${t}Z`, `${y}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))} ${t},${r.digits(3)}`, String(1_500_000_000 + r.int(0, 300_000_000)), `${t}.${r.digits(3)}`]);
}

export function invoiceNumber(r: Rng): string {
  return r.pick([`INV-${r.digits(6)}`, `RE-${r.int(2019, 2026)}-${r.digits(4)}`, `F${r.digits(8)}`, `${r.int(2019, 2026)}/${r.digits(5)}`]);
}

export function sku(r: Rng): string {
  return `${r.chars(3, UPPER)}-${r.digits(4)}-${r.pick(['BLK', 'WHT', 'XL', 'S'])}`;
}

export function quantity(r: Rng): string {
  return r.pick([`${r.int(2, 5000)} units`, `${r.int(1, 99)}%`, `${r.int(1, 64)} GB`, `${r.int(1, 999)} kg`, `${r.int(10, 99)}.${r.int(0, 9)} km`]);
}

export function zip(r: Rng): string {
  return r.pick([`${r.digits(5)}-${r.digits(4)}`, r.digits(5), `${r.digits(4)} ${r.chars(2, UPPER)}`]);
}

export function clockTime(r: Rng): string {
  return `${pad(r.int(7, 19))}:${r.pick(['00', '15', '30', '45'])}`;
}

export function accountRef(r: Rng): string {
  return r.pick([`${r.digits(8, false)}`, `${r.digits(3)}-${r.digits(6)}-${r.digits(2)}`, `CUST-${r.digits(6)}`]);
}

export function macAddress(r: Rng): string {
  return Array.from({ length: 6 }, () => r.chars(2, '0123456789ABCDEF')).join(':');
}

export function hexColor(r: Rng): string {
  return `#${r.chars(6, HEX)}`;
}

export function bic(r: Rng): string {
  return `${r.chars(4, UPPER)}${r.pick(['DE', 'FR', 'NL', 'ES', 'GB', 'IT'])}${r.chars(2, UPPER + DIGITS)}${r.chance(0.5) ? r.chars(3, UPPER + DIGITS) : ''}`;
}

/** One-time codes, CVCs and expiry dates printed next to cards. */
export function otpCode(r: Rng): string {
  return r.digits(6);
}

export function cardExpiry(r: Rng): string {
  return `${pad(r.int(1, 12))}/${r.int(25, 31)}`;
}

export function cvc(r: Rng): string {
  return r.digits(3);
}
