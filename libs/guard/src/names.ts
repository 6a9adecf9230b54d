import { AMBIGUOUS_GIVEN_NAMES, AMBIGUOUS_SURNAMES, GIVEN_NAMES, NOT_NAME_WORDS, ORG_PLACE_WORDS, PLACE_PREFIXES, SURNAMES, SURNAME_PARTICLES, nameKey } from './name-lists';
import { mergeSpans, type Span } from './spans';

/*
 * Person names without a language model: word lists (name-lists.ts) and the places a name
 * stands in text. A known given name is a name on its own; any capitalised word is one
 * after a title (`Dr. Okafor`), a greeting (`Dear Thandiwe,`), a label (`Name:`), a
 * sign-off (`Regards,⏎Chidi`) or before an e-mail address in angle brackets, or when a
 * known surname follows it. Capitalised words of companies, places, months and sentences
 * are never taken on their own.
 */

/** A run of letters, with inner apostrophes and hyphens (`O'Connor`, `Jean-Luc`). */
const WORD = /[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*/gu;

/** detectPii puts this character over what earlier detectors found (an e-mail address). */
const FOUND = '\uE000';

interface Word {
  text: string;
  key: string;
  start: number;
  end: number;
}

const isTitleCase = (w: string): boolean => /^\p{Lu}/u.test(w) && /\p{Ll}/u.test(w);
const isUpper = (w: string): boolean => w.length > 1 && !/\p{Ll}/u.test(w);
const isInitial = (w: string): boolean => /^\p{Lu}$/u.test(w);

/** Honorifics written before a name, as they are capitalised in running text (`Dr`, `heer`). */
const TITLES = new Set(
  `Mr MR Mrs MRS Ms MS Miss Mx Dr DR Prof Professor Sir Dame Lady Lord Herr Frau Monsieur Madame Mademoiselle Mme Mlle Señor Señora
   Señorita Sr Sra Srta Doña Dña Senhor Senhora Signor Signore Signora Signorina Sig Dott Avv Pan Pani Panie Heer Mevrouw Meneer Mevr
   Dhr Shri Smt Sri Sheikh Rev heer mevrouw meneer señor señora signor signora monsieur madame herr frau`.split(/\s+/),
);

/** Articles and possessives: a capitalised word after one is a thing (`the Mercedes Sprinter`). */
const DETERMINERS = new Set(`the a this that these those our your their my its die das les los las il gli het`.split(' '));

/** How a cue leads to a name, each with what may stand between the cue and the name. */
type Cue = 'greeting' | 'label' | 'phrase' | 'signoff' | 'intro';

const CUE_SEPARATOR: Record<Cue, RegExp> = {
  /** `Dear Thandiwe`, `Hi, Chidi` */
  greeting: /^[ \t]*,?[ \t]+$/,
  /** `Name: `, `"name": "`, `Nombre = ` */
  label: /^["']?[ \t]*[:=][ \t]*["']?$/,
  /** `name on card `, `Attn.: `, `titulaire ` */
  phrase: /^\.?[ \t]*[:=\-–—]?[ \t]*["']?$/,
  /** `Regards,⏎`, `Best, `, `Cheers⏎⏎` */
  signoff: /^(?:[ \t]*[,.!][ \t]*(?:\n[ \t]*){0,2}|[ \t]*(?:\n[ \t]*){1,2})$/,
  /** `my name is ` */
  intro: /^[ \t]+$/,
};

/** Words (lower case, at most four) after which a name comes. */
const CUES = new Map<string, Cue>();
const cues = (cue: Cue, phrases: string): void => {
  for (const phrase of phrases.split('|')) CUES.set(phrase.trim().replace(/[\s_/]+/g, ' ').toLowerCase(), cue);
};
const MAX_CUE_WORDS = 4;

cues(
  'greeting',
  `dear | hi | hello | hey | hiya | howdy | greetings | good morning | good afternoon | good evening | morning | bonjour | bonsoir | salut |
   cher | chère | chers | hola | buenos días | buenas tardes | buenas | estimado | estimada | estimados | estimadas | querido | querida |
   olá | oi | prezado | prezada | caro | cara | gentile | gentilissimo | gentilissima | egregio | egregia | ciao | buongiorno | salve |
   hallo | liebe | lieber | guten tag | guten morgen | guten abend | moin | servus | sehr geehrte | sehr geehrter | beste | geachte |
   hoi | cześć | dzień dobry | szanowny | szanowna | drogi | droga | witaj | witam | merhaba | selam | sayın | sevgili | namaste |
   namaskar | salaam | salam | marhaba | ahlan | thanks | thank you | many thanks | merci | danke | gracias | grazie | obrigado |
   obrigada | bedankt | dziękuję | teşekkürler`,
);
cues(
  'label',
  `name | full name | fullname | first name | firstname | given name | last name | lastname | family name | customer name |
   contact name | client name | legal name | display name | user name | surname | nombre | nombre completo | apellido | apellidos |
   nom | nom complet | prénom | nome | nome completo | cognome | naam | voornaam | achternaam | vorname | nachname | imię |
   imię i nazwisko | nazwisko | ad soyad | adı soyadı | ad soyadı | soyad | soyadı | isim`,
);
cues(
  'phrase',
  `name on card | name on the card | cardholder | card holder | account holder | beneficiary | recipient | payee | attn | att |
   attention | c/o | care of | contact person | ansprechpartner | ansprechpartnerin | kontoinhaber | kontoinhaberin | empfänger |
   empfängerin | absender | absenderin | titular | titulaire | intestatario | intestataria | destinatario | destinataria |
   destinataire | remitente | rekeninghouder | tenaamstelling | odbiorca | nadawca | alıcı | gönderen | assigned to | assignee |
   requested by | submitted by | approved by | prepared by | signed by | written by`,
);
cues(
  'signoff',
  `regards | best regards | kind regards | warm regards | warmest regards | best wishes | best | cheers | thanks | thank you |
   many thanks | thanks again | sincerely | yours sincerely | yours faithfully | yours truly | yours | respectfully | cordially |
   take care | all the best | warmly | love | cordialement | bien cordialement | bien à vous | salutations |
   mit freundlichen grüßen | mit freundlichen grüssen | freundliche grüße | viele grüße | beste grüße | liebe grüße |
   herzliche grüße | grüße | gruß | mfg | saludos | un saludo | saludos cordiales | atentamente | cordialmente | abrazos |
   un abrazo | atenciosamente | abraços | cumprimentos | cordiali saluti | distinti saluti | saluti | un saluto |
   met vriendelijke groet | met vriendelijke groeten | vriendelijke groet | vriendelijke groeten | groeten | hartelijke groet |
   hartelijke groeten | pozdrawiam | z poważaniem | z wyrazami szacunku | saygılarımla | saygılar | iyi çalışmalar`,
);
cues(
  'intro',
  `my name is | my name | i am | i'm | i’m | this is | me llamo | mi nombre es | je m'appelle | je m’appelle | mi chiamo |
   ich heiße | ich heisse | mein name ist | mijn naam is | nazywam się | benim adım | meu nome é | chamo-me`,
);

/** What may follow a name found through a greeting, label or sign-off: the end of the phrase. */
const NAME_END = /^(?:[ \t]*(?:[,!:;.?)\]|<(\n"']|[-–—][ \t]|$)|[ \t]+(?:from|at|of|here|and|y|et|und|e|ve|wrote|schrieb|a écrit|escribió)(?![\p{L}]))/u;

/** An e-mail address in brackets after the words: `Dana Whitfield <…>`, `"Dana" <…>`. */
const BEFORE_EMAIL = new RegExp(`^"?[ \\t]*[<(\\[]${FOUND}`);

/** Japanese and Turkish honorifics after a name: `Tanaka-san`, `Mehmet Bey`. */
const HONORIFIC_SUFFIX = /^(.+)-(?:san|sama|sensei|kun|chan|senpai)$/iu;

/** After the words: an honorific, or the header of a quoted reply (`Dana Whitfield wrote:`). */
const PERSON_AFTER = /^[ \t]+(?:Bey|Hanım|Hanim|Efendi|wrote|writes|schrieb|a écrit|escribió|ha scritto|schreef|napisał|napisała|yazdı)(?![\p{L}])/u;

function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const m of text.matchAll(WORD)) {
    let word = m[0];
    // A possessive ('s) belongs to the sentence, not to the name.
    if (word.length > 3 && word.endsWith('s') && (word.endsWith("'s") || word.endsWith('’s'))) word = word.slice(0, -2);
    // Only capitalised words are looked up; a lower-case word is its own key.
    const first = word.charCodeAt(0);
    const capital = first < 128 ? first >= 65 && first <= 90 : /^\p{Lu}/u.test(word);
    words.push({ text: word, key: capital ? nameKey(word) : word, start: m.index, end: m.index + word.length });
  }
  return words;
}

/** Not glued to a path, handle, identifier or number: `/home/Dana`, `@Dana`, `Dana_2`. */
function standsAlone(text: string, w: Word): boolean {
  const prev = text.charAt(w.start - 1);
  const next = text.charAt(w.end);
  if (/[/\\@#_\p{N}]/u.test(prev) || prev === FOUND || /[/\\@_\p{N}]/u.test(next) || next === FOUND) return false;
  // A dot between letters is a domain or a file name (acme.Dana, Dana.txt).
  return !(prev === '.' && /\p{L}/u.test(text.charAt(w.start - 2))) && !(next === '.' && /\p{L}/u.test(text.charAt(w.end + 1)));
}

const stopWord = (w: Word): boolean => NOT_NAME_WORDS.has(w.key) || ORG_PLACE_WORDS.has(w.key);
const knownSurname = (w: Word): boolean => SURNAMES.has(w.key) && !AMBIGUOUS_SURNAMES.has(w.key);
const givenKey = (w: Word): string => (w.key.includes('-') && !GIVEN_NAMES.has(w.key) ? w.key.split('-')[0] : w.key);

/** Finds person names. Spans cover the name only, never the title or label before it. */
export function detectNames(text: string): Span[] {
  const words = wordsOf(text);
  const spans: Span[] = [];
  const gap = (i: number): string => text.slice(words[i].end, words[i + 1]?.start ?? words[i].end);

  /** A word that can be part of a name: capitalised (or in capitals where allowed), not a stop word. */
  const nameWord = (i: number, upper: boolean): boolean => {
    const w = words[i];
    return w !== undefined && (isTitleCase(w.text) || (upper && isUpper(w.text))) && !stopWord(w) && standsAlone(text, w);
  };

  /** From word `k`: particles (`van der`) and the capitalised word after them; the index of that word, or -1. */
  const throughParticles = (k: number, upper: boolean): number => {
    let p = k;
    while (p < words.length && p - k < 3 && SURNAME_PARTICLES.has(words[p].text) && /^[ \t]+$/.test(gap(p))) p++;
    return nameWord(p, upper) ? p : -1;
  };

  /**
   * The last word of the name starting at `i`: further capitalised words on the same line,
   * with middle initials (`Dana J. Whitfield`) and particles (`de Vries`, `van der Berg`)
   * between them.
   */
  const extend = (i: number, upper: boolean): number => {
    let last = i;
    let k = i + 1;
    while (k < words.length && k - i < 6 && /^[ \t]{1,2}$/.test(gap(k - 1))) {
      let p = k;
      if (isInitial(words[p].text) && /^\.?[ \t]{1,2}$/.test(gap(p))) p++;
      const next = throughParticles(p, upper);
      if (next < 0) break;
      last = next;
      k = next + 1;
    }
    return last;
  };

  /** Whether a company or place word follows the name: `Dana Holdings`, `Victoria Station` are no one. */
  const orgAfter = (last: number): boolean => {
    const next = words[last + 1];
    return next !== undefined && /^[ \t]+$/.test(gap(last)) && isTitleCase(next.text) && ORG_PLACE_WORDS.has(next.key);
  };

  const startsSentence = (i: number): boolean => {
    const lead = text.slice(Math.max(0, words[i].start - 3), words[i].start);
    return i === 0 || /(?:^|[.!?:]["')]?[ \t]+|\n[ \t>*•-]*)$/u.test(lead);
  };

  /** Whether the word before `i` is a title (`Dr.`, `Frau`, `Sig.ra`) right before it. */
  const afterTitle = (i: number): boolean => {
    const prev = words[i - 1];
    if (!prev || !/^\.?[ \t]+$/.test(gap(i - 1))) return false;
    if (TITLES.has(prev.text)) return true;
    // French M. takes its dot; Italian Sig.ra and Dott.ssa are read as two words.
    if (prev.text === 'M') return gap(i - 1).startsWith('.');
    return (prev.text === 'ra' || prev.text === 'ssa') && /(?:Sig|Dott)\.$/.test(text.slice(Math.max(0, prev.start - 5), prev.start));
  };

  const afterDeterminer = (i: number): boolean => {
    const prev = words[i - 1];
    return prev !== undefined && DETERMINERS.has(prev.text.toLowerCase()) && /^[ \t]+$/.test(gap(i - 1));
  };

  /** Words that say a name comes next: a greeting, a label, a sign-off, a self-introduction. */
  const cued = (i: number): boolean => {
    if (i === 0) return false;
    const between = gap(i - 1);
    let phrase = '';
    for (let n = 1; n <= MAX_CUE_WORDS && i - n >= 0; n++) {
      if (n > 1 && !/^[ \t_/]$/.test(gap(i - n))) break;
      phrase = n > 1 ? `${words[i - n].text.toLowerCase()} ${phrase}` : words[i - 1].text.toLowerCase();
      const cue = CUES.get(phrase);
      if (cue && CUE_SEPARATOR[cue].test(between)) return true;
    }
    // A signature after the `-- ` line.
    return /(?:^|\n)--[ \t]*\n[ \t]*$/.test(text.slice(Math.max(0, words[i].start - 8), words[i].start));
  };

  /**
   * The last word of a name starting at word `i`, or -1 when no name starts there. A
   * listed given name, or a name after a title, needs nothing else; an unlisted one needs
   * a cue before it and the end of the phrase after it, an e-mail address or an honorific
   * after it, or a known surname.
   */
  const nameAt = (i: number): number => {
    const w = words[i];
    const titleCase = isTitleCase(w.text);
    const particle = SURNAME_PARTICLES.has(w.text);
    if (!titleCase && !particle && !isUpper(w.text)) return -1;
    if (stopWord(w) || !standsAlone(text, w)) return -1;
    // After a title a surname may open with its particle: `Mr de Vries`, `heer van den Berg`.
    if (particle) {
      const p = throughParticles(i, false);
      return p > i && afterTitle(i) ? extend(p, false) : -1;
    }
    if (!titleCase) {
      // In capitals only after a cue, and ending the phrase (`name on card DANA WHITFIELD`).
      const end = extend(i, true);
      return cued(i) && NAME_END.test(text.slice(words[end].end, words[end].end + 24)) ? end : -1;
    }
    // A given name inside a place name (São Paulo, San Diego) is part of the place.
    const previous = words[i - 1];
    if (previous && PLACE_PREFIXES.has(previous.key) && isTitleCase(previous.text) && /^\.?[ \t]$/.test(gap(i - 1))) return -1;
    const end = extend(i, false);
    if (afterTitle(i)) return end;
    if (afterDeterminer(i)) return -1;
    const key = givenKey(w);
    const ambiguous = AMBIGUOUS_GIVEN_NAMES.has(key);
    if (GIVEN_NAMES.has(key) && !ambiguous) return end;
    const after = text.slice(words[end].end, words[end].end + 24);
    if (BEFORE_EMAIL.test(after) || PERSON_AFTER.test(after)) return end;
    if (NAME_END.test(after) && cued(i)) return end;
    if (end === i) return -1;
    // An unlisted first word needs a known surname right after it (Xiomara García, not
    // the verb of "Ask May Chen"); a given name that is also a word (Grace, May, Jan) a
    // known surname anywhere after it, a second given name (Jan Martin), or, away from a
    // sentence start, any capitalised word that is not a surname of its own (Grace Hopper).
    const second = words[i + 1];
    if (!ambiguous) {
      const first = throughParticles(isInitial(second.text) ? i + 2 : i + 1, false);
      return first > i && knownSurname(words[first]) ? end : -1;
    }
    if (words.slice(i + 1, end + 1).some(knownSurname)) return end;
    if (GIVEN_NAMES.has(second.key) && !AMBIGUOUS_GIVEN_NAMES.has(second.key)) return end;
    return !SURNAMES.has(words[end].key) && !startsSentence(i) ? end : -1;
  };

  let i = 0;
  while (i < words.length) {
    const w = words[i];
    const honorific = w.text.includes('-') ? HONORIFIC_SUFFIX.exec(w.text) : null;
    if (honorific && isTitleCase(honorific[1]) && standsAlone(text, w)) {
      spans.push({ start: w.start, end: w.start + honorific[1].length });
      i++;
      continue;
    }
    const last = nameAt(i);
    if (last >= 0 && !orgAfter(last)) {
      spans.push({ start: w.start, end: words[last].end });
      i = last + 1;
    } else {
      i++;
    }
  }
  return mergeSpans(spans);
}
