// The one way into the parser for callers that want "a node or nothing": an invalid name is null,
// never an exception; anything else thrown is a bug and propagates.
import { DemangleError } from "./errors.js";
import type { Node } from "./node.js";
import { parseMangledName } from "./parse-names.js";
import { ParseState } from "./parse-state.js";

/**
 * One state for every name: the nodes never point back to it, so reusing it (and its substitution
 * table's storage) saves two allocations per name. Parsing does not re-enter this function.
 */
const shared = new ParseState("");

/** The AST of `mangled`, or null when it is not a valid mangled name. */
export function parseOrNull(mangled: string): Node | null {
  try {
    return parseMangledName(shared.reset(mangled));
  } catch (err) {
    if (err instanceof DemangleError) return null;
    throw err;
  }
}

/**
 * What c++filt would demangle: `_Z…`/`_GLOBAL_…` names up to `maxLength` (cheap rejection first:
 * most tokens c++filt sees in running text are not mangled names), parsed; otherwise null.
 */
export function parseForPrinting(mangled: string, maxLength: number): Node | null {
  if (mangled.length > maxLength) return null;
  if (mangled.charCodeAt(0) !== 95 /* _ */) return null;
  const c1 = mangled.charCodeAt(1);
  if (c1 !== 90 /* Z */ && c1 !== 71 /* G */) return null;
  return parseOrNull(mangled);
}
