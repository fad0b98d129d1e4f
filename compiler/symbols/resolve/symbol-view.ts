// The structured view of any function symbol: the demangler's for `_Z` names, a one-component
// path for plain C names (`event_base_loop`, `main.cold`).
import { describe } from "../demangle/index.js";
import type { SymbolView } from "../demangle/view.js";

const CLONE_PART = /\.[A-Za-z_][A-Za-z0-9_]*(?:\.\d+)*/g;

/** Null when a `_Z` name does not demangle (it cannot be matched structurally). */
export function viewOfSymbol(name: string): SymbolView | null {
  if (name.startsWith("_Z")) return describe(name);
  const dot = name.indexOf(".", 1);
  const base = dot < 0 ? name : name.slice(0, dot);
  const cloneSuffixes = dot < 0 ? [] : (name.slice(dot).match(CLONE_PART) ?? [name.slice(dot)]);
  return { demangled: name, kind: "function", path: [{ kind: "name", name: base }], params: null, cloneSuffixes };
}
