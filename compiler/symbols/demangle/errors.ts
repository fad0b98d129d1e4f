// Why a name could not be demangled: a stable code plus the byte offset where parsing stopped.

export type DemangleErrorCode =
  | "NOT_MANGLED" // does not start with _Z (or a _GLOBAL_ ctor/dtor prefix)
  | "UNEXPECTED_CHAR" // the grammar does not allow this character here
  | "UNEXPECTED_END" // the name ends in the middle of a production
  | "TRAILING_INPUT" // a complete encoding is followed by text that is not a clone suffix
  | "BAD_NUMBER" // a length or index is missing, negative or too large
  | "BAD_SUBSTITUTION" // S<seq-id>_ refers past the substitutions seen so far
  | "BAD_TEMPLATE_PARAM" // T<n>_ has no matching template argument
  | "TOO_DEEP" // nesting exceeds the depth limit (protects the stack)
  | "TOO_LARGE" // the printed text or the work spent exceeds its budget
  | "UNPRINTABLE"; // parsed, but c++filt would refuse to print it (e.g. an unresolvable reference)

export class DemangleError extends Error {
  constructor(
    readonly code: DemangleErrorCode,
    readonly offset: number,
    message: string,
  ) {
    super(`${message} (${code} at offset ${offset})`);
    this.name = "DemangleError";
  }
}
