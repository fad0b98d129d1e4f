// The structured Itanium C++ demangler: parse a mangled name into an AST whose printing is exactly
// GNU c++filt's text, and flatten it into a `SymbolView` for matching. Depends on nothing else in
// the project.
import { DemangleError } from "./errors.js";
import type { Node } from "./node.js";
import { parseMangledName } from "./parse-names.js";
import { ParseState } from "./parse-state.js";
import { Printer } from "./printer.js";

export { DemangleError, type DemangleErrorCode } from "./errors.js";
export type { Node, NodeKind } from "./node.js";
export type { PathSegment, SymbolView } from "./view.js";
export { describe, describeNode } from "./describe.js";

/** Parses a mangled name into its AST; throws a DemangleError (stable `code`, `offset`) when it is not valid. */
export function parse(mangled: string): Node {
  return parseMangledName(new ParseState(mangled));
}

/** Prints an AST as c++filt would; throws a DemangleError when c++filt would refuse (unresolvable references, budgets). */
export function print(node: Node): string {
  const p = new Printer();
  p.print(node);
  if (p.failed) throw new DemangleError(p.failure.includes("budget") ? "TOO_LARGE" : "UNPRINTABLE", 0, p.failure);
  return p.out;
}

/** The c++filt text of a mangled name, or null when it is not a valid mangled name. */
export function demangle(mangled: string): string | null {
  // Cheap rejection first: most tokens c++filt sees in running text are not mangled names.
  if (mangled.charCodeAt(0) !== 95 /* _ */) return null;
  const c1 = mangled.charCodeAt(1);
  if (c1 !== 90 /* Z */ && c1 !== 71 /* G */) return null;
  let node: Node;
  try {
    node = parseMangledName(new ParseState(mangled));
  } catch (err) {
    if (err instanceof DemangleError) return null;
    throw err;
  }
  const p = new Printer();
  p.print(node);
  return p.failed ? null : p.out;
}
