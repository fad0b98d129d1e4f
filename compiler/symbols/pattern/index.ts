// C++ symbol patterns: parse once, match demangled structures, and know which bytes to prefilter on.
export { compilePattern, SymbolPattern, type MatchOptions } from "./matcher.js";
export { parsePattern, normalizeQualifiers } from "./parse-pattern.js";
export { PatternError, type PatternErrorCode } from "./pattern-error.js";
export type { ComponentPattern, ParsedPattern } from "./pattern-ast.js";
export { InlineNamespaces, DEFAULT_INLINE_NAMESPACES, globToRegExp } from "./inline-namespaces.js";
export { needlesOf, couldMatchCName, type Needles } from "./needles.js";
export { normalizeType } from "./normalize-type.js";
