// Parses one line of `bpftrace -f json` output, repairing the string escaping of bpftrace 0.17.
//
// 0.17 prints every byte ≥ 0x80 of a string as `\uffffffXX` (a sign-extended char). JSON.parse
// accepts that and yields U+FFFF followed by the text "ffXX", silently wrong. We rewrite those
// escapes to `\u00XX` on the raw line before parsing, so each such string comes out of JSON.parse
// as one char per byte ("byte string"), which `decodeJsonString` then decodes as UTF-8.
// Later bpftrace versions print bytes as `\u00XX` (the same byte-string shape) or raw UTF-8 (plain
// text); both are handled without the rewrite.

/** Matches an escaped backslash (skipped, so `\\uffffffc3` stays literal text) or a 0.17 byte escape. */
const LEGACY_BYTE_ESCAPE = /\\(?:\\|uffffff([0-9a-fA-F]{2}))/g;
/** A `\u0080`…`\u00ff` escape: a writer that escapes raw bytes, not code points. */
const HIGH_BYTE_ESCAPE = /\\u00[89a-fA-F][0-9a-fA-F]/;

export interface ParsedLine {
  value: unknown;
  /**
   * True when strings in this line are byte strings (one char per byte, from `\uffffffXX` or
   * `\u00XX` escapes) that still need UTF-8 decoding; false when they are already text.
   */
  byteStrings: boolean;
}

function repairLegacyEscape(match: string, hex: string | undefined): string {
  return hex === undefined ? match : `\\u00${hex}`;
}

/** Parses a line; throws SyntaxError (from JSON.parse) when it is not JSON. */
export function parseBpftraceLine(line: string): ParsedLine {
  if (line.includes("\\uffffff")) {
    return { value: JSON.parse(line.replace(LEGACY_BYTE_ESCAPE, repairLegacyEscape)), byteStrings: true };
  }
  return { value: JSON.parse(line), byteStrings: HIGH_BYTE_ESCAPE.test(line) };
}
