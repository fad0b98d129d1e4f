// Turns a string from bpftrace's JSON into text, byte-exact, keeping bytes that are not UTF-8 visible.
//
// bpftrace 0.17 prints every byte >= 0x80 as `\uffffffXX` (a sign-extended char). JSON.parse
// accepts that and yields U+FFFF followed by the text "ffXX" — silently wrong. A 0.17 string can
// never hold a real U+FFFF (its UTF-8 bytes would be escaped too), so U+FFFF + "ff" + two hex
// digits in a parsed string is always one such escape: we turn each back into its byte, then
// decode the bytes as UTF-8. Writers that escape bytes as `\u00XX` give one char per byte, decoded
// the same way; writers that print UTF-8 give text, kept as is.
//
// Policy (README, "What decoding guarantees"): valid UTF-8 becomes the text itself; invalid UTF-8 becomes text
// with U+FFFD in place of the bad bytes, plus `bytesHex`, the exact bytes.

export interface DecodedText {
  text: string;
  /** Byte length of what bpftrace copied (UTF-8 length of `text` when it was valid). */
  byteLength: number;
  /** Present only when the bytes were not valid UTF-8: the exact bytes as lowercase hex. */
  bytesHex?: string;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8");
const NON_ASCII = /[^\x00-\x7f]/;
const NOT_A_BYTE = /[\u0100-\uffff]/;
/** A `\u0080`…`\u00ff` escape in the raw line: a writer that escapes bytes, not code points. */
const HIGH_BYTE_ESCAPE = /\\u00[89a-fA-F][0-9a-fA-F]/;

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

let scratch = new Uint8Array(256);

/**
 * Bytes of a parsed 0.17 string: each U+FFFF "ff" XX becomes byte XX, every other char must be a
 * byte (< U+0100). Returns null when the string does not have that shape (then it is text).
 */
function legacyBytes(raw: string): Uint8Array | null {
  if (scratch.length < raw.length) scratch = new Uint8Array(raw.length * 2);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0xffff && i + 4 < raw.length && (raw.charCodeAt(i + 1) | 32) === 102 && (raw.charCodeAt(i + 2) | 32) === 102) {
      const hi = hexDigit(raw.charCodeAt(i + 3));
      const lo = hexDigit(raw.charCodeAt(i + 4));
      if (hi < 0 || lo < 0) return null;
      scratch[n++] = (hi << 4) | lo;
      i += 4;
    } else if (c < 0x100) {
      scratch[n++] = c;
    } else {
      return null;
    }
  }
  return scratch.subarray(0, n);
}

function decodeBytes(bytes: Uint8Array): DecodedText {
  try {
    return { text: strictUtf8.decode(bytes), byteLength: bytes.length };
  } catch {
    return { text: lenientUtf8.decode(bytes), byteLength: bytes.length, bytesHex: Buffer.from(bytes).toString("hex") };
  }
}

function fromBytes(byteChars: string): DecodedText {
  const bytes = Buffer.from(byteChars, "latin1");
  try {
    return { text: strictUtf8.decode(bytes), byteLength: bytes.length };
  } catch {
    return { text: lenientUtf8.decode(bytes), byteLength: bytes.length, bytesHex: bytes.toString("hex") };
  }
}

/**
 * Decodes one parsed JSON string value. `line` is the raw line it came from (only looked at for
 * strings with chars U+0080–U+00FF, to see whether they were written as `\u00XX` byte escapes).
 */
export function decodeJsonString(raw: string, line: string): DecodedText {
  if (!NON_ASCII.test(raw)) return { text: raw, byteLength: raw.length };
  if (raw.includes("\uffff")) {
    const bytes = legacyBytes(raw);
    if (bytes !== null) return decodeBytes(bytes);
  }
  if (!NOT_A_BYTE.test(raw) && HIGH_BYTE_ESCAPE.test(line)) return fromBytes(raw);
  // Already text. A U+FFFD here came from an invalid byte upstream; the byte itself is gone.
  return { text: raw, byteLength: Buffer.byteLength(raw, "utf8") };
}
