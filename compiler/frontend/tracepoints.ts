// Which tracepoints exist and the types of their fields: probec's generated table first (its field
// types come from the DSL's declarations), then this machine's tracefs for the rest.
import { existsSync, readFileSync } from "node:fs";
import type { ts } from "ts-morph";
import { tsv } from "./typescript.js";
import type { ValueType } from "../ir/program.js";
import { KNOWN_TRACEPOINTS } from "../../dsl/tracepoints.js";
import { DiagnosticError } from "../diagnostics/diagnostic.js";
import { unknownTracepoint, unknownTracepointField } from "../diagnostics/messages.js";
import type { SpanOf } from "./source-loc.js";
import { intFromAlias, POINTER, U64, type TypeReader } from "./value-types.js";

const TRACEFS = process.env.PROBEC_TRACEFS ?? "/sys/kernel/tracing";
const known = new Set(KNOWN_TRACEPOINTS);

function cIntType(ctype: string): ValueType {
  const t = ctype.replace(/\bconst\b/g, "").replace(/\s+/g, " ").trim();
  if (t.includes("*")) return POINTER;
  const table: Record<string, string> = {
    int: "i32", "unsigned int": "u32", long: "i64", "unsigned long": "u64", size_t: "u64", u32: "u32", u64: "u64",
    short: "i16", "unsigned short": "u16", char: "i8", "unsigned char": "u8", u16: "u16", u8: "u8", s32: "i32", s64: "i64",
    pid_t: "i32", umode_t: "u16", loff_t: "i64", bool: "u8",
  };
  return intFromAlias(table[t] ?? "u64") ?? U64;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export class TracepointTable {
  private readonly formats = new Map<string, Map<string, ValueType> | null>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly types: TypeReader,
    private readonly spanOf: SpanOf,
  ) {}

  private formatFields(name: string): Map<string, ValueType> | null {
    if (!this.formats.has(name)) {
      const [category, event] = name.split(":") as [string, string];
      const path = `${TRACEFS}/events/${category}/${event}/format`;
      let fields: Map<string, ValueType> | null = null;
      if (category && event && !/[./]/.test(category + event) && existsSync(path)) {
        fields = new Map();
        try {
          const text = readFileSync(path, "utf8");
          for (const m of text.matchAll(/^\s*field:([^;]+);/gm)) {
            const decl = m[1]!.trim();
            const fm = /([A-Za-z_][A-Za-z0-9_]*)(\[\d*\])?$/.exec(decl);
            if (!fm || fm[1]!.startsWith("common_")) continue;
            fields.set(fm[1]!, fm[2] ? POINTER : cIntType(decl.slice(0, decl.length - fm[0].length)));
          }
        } catch {
          // An unreadable format (not root) still means the tracepoint exists; fields stay unknown.
        }
      }
      this.formats.set(name, fields);
    }
    return this.formats.get(name) ?? null;
  }

  /** Checks a tracepoint name exists; reports the nearest known names when it does not. */
  check(name: string, at: ts.Node): { category: string; name: string } {
    const colon = name.indexOf(":");
    if (colon > 0 && (known.has(name) || this.formatFields(name))) return { category: name.slice(0, colon), name: name.slice(colon + 1) };
    const candidates = [...known]
      .map((k) => ({ k, d: levenshtein(k, name) }))
      .filter((c) => c.d <= Math.max(3, name.length / 4))
      .sort((a, b) => a.d - b.d)
      .slice(0, 3)
      .map((c) => c.k);
    throw new DiagnosticError(unknownTracepoint(this.spanOf(at), name, candidates));
  }

  /** The type of `t.args.<field>`; `access` is the property access node. */
  fieldType(tracepoint: string, field: string, access: ts.PropertyAccessExpression): ValueType {
    if (known.has(tracepoint)) {
      const sym = this.checker.getSymbolAtLocation(access.name);
      const decl = sym?.declarations?.[0];
      if (decl && tsv.isPropertySignature(decl) && decl.type) return this.types.read(decl.type);
    }
    const fields = this.formatFields(tracepoint);
    if (fields && fields.size > 0) {
      const t = fields.get(field);
      if (!t) throw new DiagnosticError(unknownTracepointField(this.spanOf(access.name), tracepoint, field, [...fields.keys()]));
      return t;
    }
    return U64;
  }
}
