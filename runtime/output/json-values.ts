// Field values as plain JSON for jsonl and chrome-trace: stacks become frame objects without nulls.
import type { StackFrame } from "../decode/stack.js";
import type { FieldValue } from "../types.js";

function isFrame(v: unknown): v is StackFrame {
  return typeof v === "object" && v !== null && "symbol" in v && "address" in v && "offset" in v;
}

export function compactFrame(f: StackFrame): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (f.symbol !== null) out.symbol = f.symbol;
  if (f.offset !== null) out.offset = f.offset;
  if (f.address !== null) out.address = f.address;
  if (f.module !== null) out.module = f.module;
  return out;
}

export function jsonValue(v: FieldValue | unknown): unknown {
  if (Array.isArray(v)) return v.map((e) => (isFrame(e) ? compactFrame(e) : jsonValue(e)));
  return v;
}

export function jsonFields(fields: Record<string, FieldValue>): Record<string, unknown> {
  // Most events hold no list at all: then the fields are already plain JSON.
  let plain = true;
  for (const k in fields) {
    if (Array.isArray(fields[k])) {
      plain = false;
      break;
    }
  }
  if (plain) return fields;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = jsonValue(v);
  return out;
}
