import { WORDS, type Rng } from './deterministic';

/**
 * The strings the instance generator draws: format values, typical shapes patterns ask for,
 * words. Draws from the generator's own random source, so a schema and seed always give
 * the same value.
 */
export class StringSampler {
  constructor(private readonly rng: Rng) {}

  /** A value of a JSON Schema `format`; undefined for a format it does not know. */
  formatted(format: string): string | undefined {
    const r = this.rng;
    const two = (n: number) => String(n).padStart(2, '0');
    const date = `20${two(r.int(20, 29))}-${two(r.int(1, 12))}-${two(r.int(1, 28))}`;
    const time = `${two(r.int(0, 23))}:${two(r.int(0, 59))}:${two(r.int(0, 59))}`;
    switch (format) {
      case 'date-time':
        return `${date}T${time}Z`;
      case 'date':
        return date;
      case 'time':
        return `${time}Z`;
      case 'email':
        return `${r.pick(WORDS)}.${r.pick(WORDS)}@example.com`;
      case 'uri':
      case 'url':
      case 'uri-reference':
      case 'iri':
        return `https://example.com/${r.pick(WORDS)}/${r.int(1, 9999)}`;
      case 'hostname':
        return `${r.pick(WORDS)}.example.com`;
      case 'ipv4':
        return `192.0.2.${r.int(1, 254)}`;
      case 'ipv6':
        return `2001:db8::${r.int(1, 0xffff).toString(16)}`;
      case 'uuid':
        return this.uuid();
      default:
        return undefined;
    }
  }

  /** Typical shapes patterns ask for: identifiers, codes, digits, dates, times, slugs. */
  patternCandidates(): string[] {
    const r = this.rng;
    const hex = this.hex(24);
    const two = (n: number) => String(n).padStart(2, '0');
    return [
      this.words(1, 3),
      r.pick(WORDS),
      r.pick(WORDS).toUpperCase(),
      `${r.pick(WORDS)}-${r.pick(WORDS)}`,
      `${r.pick(WORDS)}_${r.pick(WORDS)}`,
      `c${hex}`,
      hex,
      String(r.int(100000, 999999)),
      String(r.int(0, 9)),
      `${String.fromCharCode(65 + r.int(0, 25))}${String.fromCharCode(65 + r.int(0, 25))}${String.fromCharCode(65 + r.int(0, 25))}-${r.int(100, 999)}`,
      `+1${r.int(200, 999)}${r.int(200, 999)}${r.int(1000, 9999)}`,
      `${two(r.int(0, 23))}:${two(r.int(0, 59))}`,
      `${two(r.int(0, 23))}:${two(r.int(0, 59))}:${two(r.int(0, 59))}`,
      ...['date-time', 'date', 'email', 'uri', 'uuid', 'ipv4', 'hostname'].map((f) => this.formatted(f) as string),
    ];
  }

  private uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = '89ab'[this.rng.int(0, 3)];
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
  }

  private hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.rng.int(0, 15).toString(16);
    return out;
  }

  /** Between `min` and `max` words of the word list, space-separated. */
  words(min: number, max: number): string {
    const n = this.rng.int(min, max);
    return Array.from({ length: n }, () => this.rng.pick(WORDS)).join(' ');
  }
}

/** Pads `text` with `more()` up to `min` characters, and cuts it at `max`. */
export function fitToLength(text: string, min: number, max: number, more: () => string): string {
  let out = text;
  while ([...out].length < min) out += ` ${more()}`;
  return [...out].slice(0, max).join('');
}
