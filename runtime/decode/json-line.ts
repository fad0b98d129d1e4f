// Parses one line of `bpftrace -f json` output. The line is given to JSON.parse as it is; strings
// are repaired afterwards, one by one, by decodeJsonString (text.ts), which needs the raw line to
// tell a writer that escapes bytes (`\u00XX`) from one that writes UTF-8.

export interface ParsedLine {
  value: unknown;
  /** The raw line, for decodeJsonString's question "were bytes escaped as \u00XX?". */
  line: string;
}

/** Parses a line; throws SyntaxError (from JSON.parse) when it is not JSON. */
export function parseBpftraceLine(line: string): ParsedLine {
  return { value: JSON.parse(line), line };
}
