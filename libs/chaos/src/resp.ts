/**
 * Splits a byte stream of RESP values (Redis' protocol, RESP2 and RESP3 types) into whole
 * top-level values, so a proxy can tell one command (or one reply) from the next.
 * Inline commands (plain text lines) count as one value per line.
 */
export class RespSplitter {
  private buf: Buffer = Buffer.alloc(0);

  /** Adds bytes; returns the complete top-level values now available, in order. */
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    let start = 0;
    for (;;) {
      const end = valueEnd(this.buf, start);
      if (end < 0) break;
      out.push(this.buf.subarray(start, end));
      start = end;
    }
    this.buf = this.buf.subarray(start);
    return out;
  }
}

/** Offset just past the value starting at `at`, or -1 when it is not complete yet. */
function valueEnd(buf: Buffer, at: number): number {
  if (at >= buf.length) return -1;
  const lineEnd = buf.indexOf('\r\n', at);
  if (lineEnd < 0) return -1;
  const type = String.fromCharCode(buf[at]);
  const header = buf.toString('latin1', at + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
    case '-':
    case ':':
    case '_':
    case '#':
    case ',':
    case '(':
      return next;
    case '$':
    case '!':
    case '=': {
      const len = Number(header);
      if (len < 0) return next;
      return buf.length >= next + len + 2 ? next + len + 2 : -1;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      const n = Number(header);
      if (n < 0) return next;
      const items = type === '%' || type === '|' ? n * 2 : n;
      let pos = next;
      for (let i = 0; i < items; i++) {
        pos = valueEnd(buf, pos);
        if (pos < 0) return -1;
      }
      return pos;
    }
    default:
      // An inline command: one line.
      return next;
  }
}
