// Fast path for the commonest line bpftrace prints, `{"type": "value", "data": [int|string, …]}`:
// the data array is scanned straight into a reused array, so no wrapper object and no array are
// built per line. It accepts a strict subset of JSON (integers and strings at the top level, no
// whitespace); anything else returns -1 and the caller gives the line to JSON.parse as before, so a
// line decodes to the same values either way and every malformed line still reaches the slow path.

export const VALUE_LINE_PREFIX = '{"type": "value", "data": [';

const CONTROL_CHAR = /[\x00-\x1f]/;

/**
 * Strings with escapes (stacks with their `\n`s, names with 0.17's byte escapes) repeat: the parsed
 * string is kept by its JSON text. Giving back the same string object also lets later lookups keyed
 * by it (the stack cache) reuse its hash.
 */
const ESCAPED_LIMIT = 4096;
const ESCAPED_MAX_LENGTH = 8192;
const escapedCache = new Map<string, string>();

function unescapeJson(quoted: string): string | null {
  const hit = escapedCache.get(quoted);
  if (hit !== undefined) return hit;
  let v: unknown;
  try {
    v = JSON.parse(quoted);
  } catch {
    return null;
  }
  if (typeof v !== "string") return null;
  if (quoted.length <= ESCAPED_MAX_LENGTH) {
    if (escapedCache.size >= ESCAPED_LIMIT) escapedCache.clear();
    escapedCache.set(quoted, v);
  }
  return v;
}

/** Integers of up to 15 digits are summed exactly; longer ones go through Number (JSON.parse's rounding). */
const EXACT_DIGITS = 15;

/**
 * Scans the data array of a value line into `out` (from index 0) and returns how many values it
 * holds, or -1 when the line is not in the subset this scanner reads.
 */
export function scanValueLine(line: string, out: unknown[]): number {
  const len = line.length;
  // The line must end with `]}` exactly (JSON.parse would also accept trailing whitespace: slow path).
  if (len < VALUE_LINE_PREFIX.length + 2 || line.charCodeAt(len - 1) !== 125 || !line.startsWith(VALUE_LINE_PREFIX)) return -1;
  const end = len - 2; // index of the closing `]`
  if (line.charCodeAt(end) !== 93) return -1;
  if (CONTROL_CHAR.test(line)) return -1; // raw control chars are not JSON
  let p = VALUE_LINE_PREFIX.length;
  let n = 0;
  if (p === end) return -1; // an empty array: rare, let JSON.parse have it
  for (;;) {
    const c = line.charCodeAt(p);
    if (c === 34 /* " */) {
      // The closing quote is the first one not preceded by an odd run of backslashes.
      let q = line.indexOf('"', p + 1);
      const firstEscape = line.indexOf("\\", p + 1);
      const escaped = firstEscape >= 0 && firstEscape < q;
      if (escaped) {
        for (;;) {
          if (q < 0) return -1;
          let b = q - 1;
          while (line.charCodeAt(b) === 92) b--;
          if ((q - 1 - b) % 2 === 0) break;
          q = line.indexOf('"', q + 1);
        }
      }
      if (q < 0 || q >= end) return -1;
      if (escaped) {
        const v = unescapeJson(line.slice(p, q + 1));
        if (v === null) return -1;
        out[n++] = v;
      } else out[n++] = line.slice(p + 1, q);
      p = q + 1;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const neg = c === 45;
      const first = neg ? p + 1 : p;
      let q = first;
      let v = 0;
      for (; q < end; q++) {
        const d = line.charCodeAt(q) - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      const digits = q - first;
      if (digits === 0) return -1;
      if (digits > 1 && line.charCodeAt(first) === 48) return -1; // a leading zero is not JSON
      const next = line.charCodeAt(q);
      if (next === 46 /* . */ || next === 101 /* e */ || next === 69 /* E */) return -1;
      if (digits > EXACT_DIGITS) v = Number(line.slice(first, q));
      out[n++] = neg ? -v : v;
      p = q;
    } else return -1;
    const sep = line.charCodeAt(p);
    if (p === end) return n;
    if (sep !== 44 /* , */) return -1;
    p++;
    if (p === end) return -1; // a trailing comma
  }
}
