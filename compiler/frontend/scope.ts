// The scope an expression or statement is evaluated in: the bindings, and — inside a handler — the
// statement list being filled and the handler's locals.
import type { Stmt } from "../ir/program.js";
import type { Env } from "./values.js";

export type ProbeKind = "uprobe" | "uretprobe" | "tracepoint" | "kprobe" | "kretprobe" | "begin" | "end" | "interval" | "profile";

export interface HandlerState {
  probeKind: ProbeKind;
  /** bpftrace variable names already used in this probe (TypeScript's block scopes are flattened). */
  locals: Set<string>;
  /** True while lowering a `when` filter: nothing may be emitted as a statement. */
  filter: boolean;
}

export interface Scope {
  env: Env;
  /** Null at build time (module top level, library functions). */
  handler: HandlerState | null;
  /** Where statements go; null at build time. */
  out: Stmt[] | null;
}

export function uniqueLocal(h: HandlerState, hint: string): string {
  const base = hint.replace(/[^A-Za-z0-9_]/g, "_") || "v";
  let name = base;
  for (let i = 2; h.locals.has(name); i++) name = `${base}_${i}`;
  h.locals.add(name);
  return name;
}
