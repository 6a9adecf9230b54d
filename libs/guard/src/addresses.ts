import { GIVEN_NAMES, NOT_NAME_WORDS, PLACE_PREFIXES, nameKey } from './name-lists';
import type { Span } from './spans';

/*
 * Postal addresses by their parts: a house number and a street word in the order each
 * country writes them (`221B Baker Street`, `Hauptstraße 5`, `12 rue de la Paix`,
 * `Calle Mayor 5`, `ul. Długa 7`, `Atatürk Cad. No: 12`), or a post-office box, then
 * optionally a flat or suite, and the locality: town, state, postcode. A street named
 * without a number (`Oxford Street`) and a town alone are places, not addresses.
 */

/** `rue|via` → `[Rr]ue|[Vv]ia`: street words are written in either case. */
const eitherCase = (words: string): string =>
  words
    .split('|')
    .map((w) => (/^\p{L}/u.test(w) ? `[${w[0].toUpperCase()}${w[0].toLowerCase()}]${w.slice(1)}` : w))
    .join('|');

/** After a street word: not more letters (`Pl` is not `Plaza`). */
const WORD_END = String.raw`(?![\p{L}\p{M}])`;

/** A capitalised word of a street or town name, an ordinal (`5th`), or a short all-caps one (`MG`). */
const NAME = String.raw`(?:\p{Lu}[\p{L}\p{M}'’]*\.?(?:-\p{L}[\p{L}\p{M}'’]*)*|\d{1,3}(?:st|nd|rd|th)|\p{Lu}{2,3})`;
/** Small words inside street names: `rue de la Paix`, `Via della Repubblica`, `Rua das Flores`. */
const LINK = String.raw`(?:de|del|dels|de la|de las|de los|des|du|d'|l'|la|le|les|di|da|dal|della|delle|dei|degli|do|dos|das|e|y|et|und|van|von|der|den|het|sur|sous)`;
/** A house number: 12, 12a, 221B, 10/12, 12-14, 5 bis. */
const NUMBER = String.raw`\d{1,5}(?:[ ]?[A-Za-z](?![\p{L}]))?(?:[-/]\d{1,5}[A-Za-z]?)?(?:[ ](?:bis|ter))?`;

const EN_TYPE = String.raw`(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Way|Court|Ct\.?|Place|Pl\.?|Terrace|Crescent|Close|Square|Sq\.?|Parkway|Pkwy\.?|Highway|Hwy\.?|Circle|Cir\.?|Trail|Row|Mews|Gardens|Grove|Walk|Alley|Plaza|Loop|Parade|Esplanade|Quay|Wharf|Rise|Broadway|Marg|Salai)${WORD_END}`;
const DIRECTION = String.raw`(?:North|South|East|West|NE|NW|SE|SW|N|S|E|W)(?:\.|${WORD_END})`;
const FR_TYPE = `(?:${eitherCase('rue|avenue|av\\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours|square|passage|faubourg|sentier|voie')})${WORD_END}`;
/** Street words written before the name (Romance languages, Polish). */
const LEADING_TYPE = `(?:${eitherCase(
  'Calle|C/|Avenida|Avda\\.?|Av\\.|Paseo|Pº|Plaza|Pza\\.?|Carrer|Camino|Carretera|Ronda|Travesía|Via|Viale|V\\.le|Corso|Piazza|P\\.za|Piazzale|Largo|Vicolo|Rua|Travessa|Praça|Alameda|Estrada|Rue|Avenue|Boulevard|ul\\.|al\\.|pl\\.|os\\.|ulica|aleja|plac|osiedle',
)})${WORD_END}`;
/** Street words that end a compound word (German, Dutch, Nordic): `Lindenstr.`, `Kerkstraat`. */
const COMPOUND_TYPE = String.raw`(?:straße|strasse|str\.|weg|gasse|allee|platz|damm|ufer|chaussee|steig|pfad|straat|laan|gracht|plein|kade|singel|dreef|steeg|markt|gade|vej|gatan|gata|vägen|veien)`;
const GERMAN_TYPE = String.raw`(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Damm|Ufer|Chaussee|Ring|Markt)`;
const TURKISH_TYPE = String.raw`(?:Caddesi|Cad\.?|Cd\.|Sokağı|Sokak|Sok\.?|Sk\.|Bulvarı|Bulv\.|Blv\.|Mahallesi|Mah\.)${WORD_END}`;
const UNIT = String.raw`(?:,?[ \t]*(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|#|Flat|Floor|Fl\.?|Room|Rm\.?|Bldg\.?|Building|Piso|Planta|Etage|Étage|Wohnung|Whg\.?)[ \t]*[\w-]{1,5}(?![\p{L}])|,?[ \t]*\d{1,2}\.?[ \t]?[ºª°][ \t]*(?:[A-Z]|izq\.?|izda\.?|dcha\.?|der\.?|dto\.?)?(?![\p{L}])|[ \t]*[-,][ \t]*(?:apto|apt|ap|sala|lok|m)\.?[ \t]*\d{1,5})`;

/** Every street form starts a word: not read from inside one (`AAAA…` from each letter). */
const WORD_START = String.raw`(?<![\p{L}\p{M}\p{N}])`;

/**
 * The street part of an address, in each order the countries write it, with whether the
 * street word comes first (then the number must end the phrase: an English `via` is not
 * an Italian street).
 */
const FORMS: ReadonlyArray<[string, boolean]> = [
  // 221B Baker Street, 1600 Pennsylvania Ave NW, 12, MG Road; Flat 3, 12 Baker Street
  [String.raw`(?:(?:Flat|Apt\.?|Apartment|Unit|Suite)[ \t]+\w{1,5},?[ \t]+)?${NUMBER},?[ \t]+(?:${DIRECTION}[ \t]+)?(?:${NAME}[ \t]+){1,4}${EN_TYPE}(?:[ \t]+${DIRECTION})?`, false],
  // 12 rue de la Paix, 8, avenue des Champs-Élysées
  [String.raw`${NUMBER},?[ \t]+${FR_TYPE}[ \t]+(?:${LINK}[ \t]*)*${NAME}(?:[ \t-]+(?:${LINK}[ \t]*)*${NAME}){0,4}`, false],
  // Calle Mayor 5, Via Roma, 10, ul. Długa 7/3, Rua das Flores, nº 25
  [String.raw`${LEADING_TYPE}[ \t]+(?:${LINK}[ \t]+)*${NAME}(?:[ \t]+(?:${LINK}[ \t]+)*${NAME}){0,4},?[ \t]+(?:(?:n[º°o]\.?|no\.|nr\.?|n\.)[ \t]*)?${NUMBER}`, true],
  // Hauptstraße 5, Kerkstraat 12-14, Berliner Straße 10
  [String.raw`\p{Lu}[\p{L}\p{M}-]*${COMPOUND_TYPE}[ \t]*,?[ \t]*${NUMBER}`, false],
  [String.raw`(?:\p{Lu}[\p{L}\p{M}-]+[ \t]+){1,2}${GERMAN_TYPE}[ \t]+${NUMBER}`, false],
  // Atatürk Cad. No: 12/3
  [String.raw`(?:\p{Lu}[\p{L}\p{M}]+[ \t]+){1,3}${TURKISH_TYPE}[ \t]*,?[ \t]*No[ \t]*[:.]?[ \t]*\d{1,5}(?:/\d{1,4})?`, false],
  // 1-2-3 Shibuya (Japanese block numbers, then the district in the locality)
  [String.raw`\d{1,2}-\d{1,3}(?:-\d{1,3})?[ \t]+\p{Lu}\p{Ll}+(?=,[ \t]*\p{Lu}\p{Ll}+-(?:ku|shi|cho|machi|gun))`, false],
  // PO Box 1234, Postfach 101234, Apartado de Correos 12
  [String.raw`(?:[Pp]\.?[ \t]?[Oo]\.?[ \t]?[Bb]ox|Post Office Box|Postfach|Apartado(?: de Correos)?|Apdo\.?|Boîte postale|Caixa Postal|Casella Postale|Skrytka pocztowa|Postbus|Posta Kutusu)[ \t]*\d{1,7}`, false],
];

/** All forms in one expression: one scan of the text (a scan per form costs twice as much). */
const STREET = new RegExp(`${WORD_START}(?:${FORMS.map(([p, lead]) => (lead ? `(?<lead>${p})` : `(?:${p})`)).join('|')})`, 'gu');


const UNIT_AT = new RegExp(UNIT, 'uy');

/** A town: capitalised words, with the small words of `Frankfurt am Main` or `Rio de Janeiro`. */
const TOWN = String.raw`\p{Lu}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*(?:[ \t](?:(?:am|an|der|de|di|do|da|del|la|le|sur|im)[ \t])?\p{Lu}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*){0,2}`;
const UK_POSTCODE = String.raw`[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}`;
const CA_POSTCODE = String.raw`[A-Z]\d[A-Z][ \t]?\d[A-Z]\d`;
/** Postcodes printed before the town: DE/FR/ES/IT (5), NL (4+2 letters), AT/CH/BE/DK (4), PL, BR, PT. */
const POSTCODE_FIRST = String.raw`(?:\d{5}-\d{3}|\d{4}-\d{3}|\d{2}-\d{3}|\d{4}[ \t]?[A-Z]{2}(?![\p{L}])|\d{5}|\d{4}|[A-Z]{1,2}-\d{4,5})`;

/** One part of the locality; each tried where the previous part ended. */
const LOCALITY_PARTS = {
  /** IL 62704, CA 94105-1234 */
  stateZip: new RegExp(String.raw`[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?(?![\p{L}\p{N}])`, 'uy'),
  /** 10115 Berlin, 1012 AB Amsterdam, 00-950 Warszawa */
  postcodeTown: new RegExp(String.raw`${POSTCODE_FIRST}[ \t]+${TOWN}`, 'uy'),
  /** London NW1 6XE, Bengaluru 560001, Tokyo 150-0002, Toronto M5V 2T6 */
  townPostcode: new RegExp(String.raw`${TOWN}[ \t]+(?:${UK_POSTCODE}|${CA_POSTCODE}|\d{6}|\d{3}-\d{4})(?![\p{L}\p{N}])`, 'uy'),
  /** NW1 6XE on its own */
  postcode: new RegExp(String.raw`(?:${UK_POSTCODE}|${CA_POSTCODE})(?![\p{L}\p{N}])`, 'uy'),
  /** Springfield, Kadıköy/İstanbul, Shibuya-ku, São Paulo - SP */
  town: new RegExp(String.raw`${TOWN}(?:/${TOWN}|[ \t]+-[ \t]+[A-Z]{2}(?![\p{L}]))?`, 'uy'),
};

/**
 * What may follow a town given on its own: the end of the address, or the sentence going
 * on in lower case (`…, Konak/İzmir adresine gönderildi`). Not a capitalised word: that
 * may be a name (`…Baker Street, Dana Whitfield`).
 */
const TOWN_END = /^(?:[ \t]*(?:[,.;:!?)"\]|\n]|$)|[ \t]+\p{Ll})/u;

/** A district and its city (`Kadıköy/İstanbul`, `Shibuya-ku`): a locality even on a line of its own. */
const DISTRICT = /\/|-(?:ku|shi|cho|machi|gun)\b/u;

function matchAt(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(text)?.[0];
}

/** A town's words, up to an ordinary word that goes on the sentence (`Leeds` of `Leeds Office hours`; none of `Tel.`). */
function townAt(text: string, at: number): string | undefined {
  const town = matchAt(LOCALITY_PARTS.town, text, at);
  if (!town) return undefined;
  const words = town.split(/(?=[ \t])/);
  const keep = words.findIndex((w) => NOT_NAME_WORDS.has(nameKey(w.trim())) && !PLACE_PREFIXES.has(nameKey(w.trim())));
  return keep < 0 ? town : keep === 0 ? undefined : words.slice(0, keep).join('');
}

/**
 * The end of the locality after a street ending at `at`: up to three parts separated by
 * commas (or a dash), or on the next line when that line holds a postcode or a state
 * and ZIP. A town alone counts only after a comma, where the address then ends.
 */
function localityEnd(text: string, at: number): number {
  let end = at;
  for (let part = 0; part < 3; part++) {
    const sep = /^(?:[ \t]*,[ \t]*|[ \t]+-[ \t]+|[ \t]*\n[ \t]*|[ \t]+)/.exec(text.slice(end, end + 8))?.[0];
    if (sep === undefined) break;
    const from = end + sep.length;
    const coded =
      matchAt(LOCALITY_PARTS.stateZip, text, from) ??
      matchAt(LOCALITY_PARTS.postcodeTown, text, from) ??
      matchAt(LOCALITY_PARTS.townPostcode, text, from) ??
      matchAt(LOCALITY_PARTS.postcode, text, from);
    if (coded) {
      end = from + coded.length;
      continue;
    }
    const town = townAt(text, from);
    // A known given name after the street is more likely the next thing written than a town.
    if (!town || GIVEN_NAMES.has(nameKey(town.split(/[ \t/]/)[0]))) break;
    const afterTown = from + town.length;
    if (sep.includes('\n') && DISTRICT.test(town) && TOWN_END.test(text.slice(afterTown, afterTown + 4))) {
      end = afterTown;
      continue;
    }
    if (!/[,-]/.test(sep)) {
      // On its own line or after a bare space, a town needs its state and ZIP: Springfield, IL 62704.
      const comma = /^,[ \t]*/.exec(text.slice(afterTown, afterTown + 4))?.[0];
      const state = comma === undefined ? undefined : matchAt(LOCALITY_PARTS.stateZip, text, afterTown + comma.length);
      if (comma === undefined || state === undefined) break;
      end = afterTown + comma.length + state.length;
      continue;
    }
    if (!TOWN_END.test(text.slice(afterTown, afterTown + 4))) break;
    end = afterTown;
  }
  return end;
}

/** Where a street match may start: not inside a word or a longer number. */
const startsClean = (text: string, at: number): boolean => !/[\p{L}\p{N}_./-]/u.test(text.charAt(at - 1));

/** Finds postal addresses: the street with its number, a unit, and the locality after it. */
export function detectAddresses(text: string): Span[] {
  const spans: Span[] = [];
  const streets = [...text.matchAll(STREET)].map((m) => ({ start: m.index, end: m.index + m[0].length, lead: m.groups?.lead !== undefined }));
  for (const street of streets) {
    const last = spans[spans.length - 1];
    if ((last && street.start < last.end) || !startsClean(text, street.start)) continue;
    let end = street.end;
    // A street match ends at a word boundary (not `12 Main Streetcar`).
    if (/[\p{L}\p{N}]/u.test(text.charAt(end)) && /[\p{L}\p{N}]/u.test(text.charAt(end - 1))) continue;
    UNIT_AT.lastIndex = end;
    end += UNIT_AT.exec(text)?.[0].length ?? 0;
    const streetEnd = end;
    end = localityEnd(text, end);
    // A street written before its name (Via, Calle) could be an English `via`: the number must end the phrase.
    if (street.lead && end === streetEnd && !/^[ \t]*(?:[,;.)\n]|$)/.test(text.slice(end, end + 3))) continue;
    spans.push({ start: street.start, end });
  }
  return spans;
}
