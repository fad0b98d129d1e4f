// A malformed symbol pattern: a stable code and the 1-based column in the pattern text.

export type PatternErrorCode =
  | "PATTERN_EMPTY"
  | "PATTERN_EMPTY_COMPONENT"
  | "PATTERN_BAD_CHAR"
  | "PATTERN_UNBALANCED"
  | "PATTERN_TRAILING"
  | "PATTERN_BAD_WILDCARD"
  | "PATTERN_BAD_LAMBDA"
  | "PATTERN_BAD_OPERATOR"
  | "PATTERN_BAD_INLINE_NS";

export class PatternError extends Error {
  override readonly name = "PatternError";
  constructor(
    readonly code: PatternErrorCode,
    readonly reason: string,
    readonly pattern: string,
    /** 1-based column of the offending character. */
    readonly column: number,
  ) {
    super(`${reason} at column ${column} of pattern '${pattern}'`);
  }
}
