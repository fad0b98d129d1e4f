// Turns a string from bpftrace's JSON into text, keeping bytes that are not UTF-8 visible.
// Policy (documented in docs/readme/runtime.md): valid UTF-8 becomes the text itself; invalid
// UTF-8 becomes text with U+FFFD in place of the bad bytes, plus `bytesHex`, the exact bytes.

export interface DecodedText {
  text: string;
  /** Byte length of what bpftrace copied (UTF-8 length of `text` when it was valid). */
  byteLength: number;
  /** Present only when the bytes were not valid UTF-8: the exact bytes as lowercase hex. */
  bytesHex?: string;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8");
const HIGH_CHAR = /[\u0080-\uffff]/;
const NOT_A_BYTE = /[\u0100-\uffff]/;

function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/**
 * Decodes one JSON string value. `byteStrings` says the line's strings carry one char per byte
 * (see json-line.ts); a string with chars above U+00FF is text whatever the line said.
 */
export function decodeJsonString(raw: string, byteStrings: boolean): DecodedText {
  if (!HIGH_CHAR.test(raw)) return { text: raw, byteLength: raw.length };
  if (!byteStrings || NOT_A_BYTE.test(raw)) {
    // Already text. A U+FFFD here came from an invalid byte upstream; the byte itself is gone.
    return { text: raw, byteLength: utf8Length(raw) };
  }
  const bytes = Buffer.from(raw, "latin1");
  try {
    return { text: strictUtf8.decode(bytes), byteLength: bytes.length };
  } catch {
    return { text: lenientUtf8.decode(bytes), byteLength: bytes.length, bytesHex: bytes.toString("hex") };
  }
}
