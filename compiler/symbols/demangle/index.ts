// The structured Itanium C++ demangler: parse a mangled name into an AST whose printing is exactly
// GNU c++filt's text, and flatten it into a `SymbolView` for matching. Depends on nothing else in
// the project.
import { DemangleError } from "./errors.js";
import type { Node } from "./node.js";
import { parseMangledName } from "./parse-names.js";
import { parseForPrinting } from "./parse-entry.js";
import { ParseState } from "./parse-state.js";
import { acquirePrinter, Printer, releasePrinter } from "./printer.js";

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
  const p = acquirePrinter();
  p.print(node);
  const text = p.finish();
  releasePrinter(p);
  if (p.failed) throw new DemangleError(p.failureCode, 0, p.failure);
  return text;
}

/**
 * c++filt refuses names longer than this (libiberty sizes its tables at 2 × length and bails out
 * above its recursion limit of 2048), printing them unchanged.
 */
export const GNU_MAX_NAME_LENGTH = 1024;

export interface DemangleOptions {
  /** Longest name to demangle; default c++filt's 1024. Pass Infinity to lift the limit. */
  maxLength?: number;
}

/**
 * Demangles onto the end of `out`'s buffer, after whatever it holds: the c++filt filter prints a
 * whole input's names and the text between them into one printer, so no name's text is copied
 * again. Returns false, with `out` unchanged, when the name is not valid.
 */
export function demangleAppend(mangled: string, out: Printer, options?: DemangleOptions): boolean {
  const node = parseForPrinting(mangled, options?.maxLength ?? GNU_MAX_NAME_LENGTH);
  if (node === null) return false;
  out.beginName();
  out.print(node);
  if (!out.failed) return true;
  out.length = out.start;
  return false;
}

/** A printer for `demangleAppend`: it accumulates text until `takeLatin1` empties it. */
export function bulkPrinter(): Printer {
  return new Printer();
}

/** The c++filt text of a mangled name, or null when it is not a valid mangled name. */
export function demangle(mangled: string, options?: DemangleOptions): string | null {
  const node = parseForPrinting(mangled, options?.maxLength ?? GNU_MAX_NAME_LENGTH);
  if (node === null) return null;
  const p = acquirePrinter();
  p.print(node);
  const text = p.failed ? null : p.finish();
  releasePrinter(p);
  return text;
}
