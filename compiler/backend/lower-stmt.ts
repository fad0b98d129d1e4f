// IR statements → bpftrace statements, `emit` included (see event-layout.ts for its printed shape).
import type { EventLayout } from "../ir/manifest.js";
import type { EventDecl, Expr, SourceLoc, Stmt, ValueType } from "../ir/program.js";
import type { BtExpr, BtStmt } from "./ast.js";
import { BackendCode, BackendError } from "./backend-error.js";
import { ExprLowerer, is64, storedValue, type SizedText } from "./lower-expr.js";
import type { ProbeScope } from "./probe-scope.js";

export interface EventPlan {
  decl: EventDecl;
  layout: EventLayout;
}

const HEADER_IDENT: Record<string, BtExpr> = {
  pid: { kind: "ident", name: "pid" },
  tid: { kind: "ident", name: "tid" },
  comm: { kind: "ident", name: "comm" },
};

function isTextExpr(e: Expr): boolean {
  return e.kind === "sizedStr" || e.kind === "str" || (e.kind === "call" && e.fn === "str") || (e.kind === "builtin" && (e.name === "comm" || e.name === "probe" || e.name === "func"));
}

/**
 * Integers narrower than 64 bits are widened in printed tuples. bpftrace 0.17 lays tuples out with
 * other alignments than LLVM when small integers sit next to `inet` (ntop) values ("Struct offset
 * mismatch", then wrong values printed); with every integer 8 bytes wide the two layouts agree.
 */
function widened(type: ValueType, e: BtExpr): BtExpr {
  if (type.kind === "bool") return is64(e) ? e : { kind: "cast", type: "uint64", operand: e };
  if (type.kind !== "int" || is64(e)) return e;
  return { kind: "cast", type: type.signed ? "int64" : "uint64", operand: e };
}

export class StmtLowerer {
  private readonly exprs: ExprLowerer;

  constructor(
    private readonly scope: ProbeScope,
    private readonly events: Map<string, EventPlan>,
  ) {
    this.exprs = new ExprLowerer(scope);
  }

  lowerBlock(stmts: Stmt[]): BtStmt[] {
    const out: BtStmt[] = [];
    for (const s of stmts) {
      const lowered = this.lowerStmt(s);
      out.push(...this.scope.takePending(), ...lowered);
    }
    return out;
  }

  private lowerStmt(s: Stmt): BtStmt[] {
    const loc = s.loc;
    switch (s.kind) {
      case "let":
        return this.lowerLet(s.name, s.value, loc);
      case "assign": {
        const b = this.scope.lookupLocal(s.name);
        if (!b) throw new BackendError(BackendCode.Undeclared, `local '${s.name}' is assigned before it is declared`, loc);
        if (b.lengthVar !== undefined && s.value.kind === "sizedStr") {
          const t = this.exprs.sizedText(s.value, loc);
          return [
            { kind: "assignVar", name: b.lengthVar, value: t.length, loc },
            { kind: "assignVar", name: b.btName, value: t.text, loc },
          ];
        }
        return [{ kind: "assignVar", name: b.btName, value: storedValue(this.exprs.lower(s.value, loc)), loc }];
      }
      case "mapSet":
        return [{ kind: "assignMap", target: this.exprs.mapRef(s.map, s.key, loc), value: storedValue(this.exprs.lower(s.value, loc)), loc }];
      case "mapAggregate": {
        const args = s.args.map((a) => this.exprs.lower(a, loc));
        return [{ kind: "assignMap", target: this.exprs.mapRef(s.map, s.key, loc), value: { kind: "call", fn: s.fn, args }, loc }];
      }
      case "mapDelete":
        return [{ kind: "expr", expr: { kind: "call", fn: "delete", args: [this.exprs.mapRef(s.map, s.key, loc)] }, loc }];
      case "mapClear":
        return [{ kind: "expr", expr: { kind: "call", fn: "clear", args: [this.mapName(s.map, loc)] }, loc }];
      case "printMap":
        return [{ kind: "expr", expr: { kind: "call", fn: "print", args: [this.mapName(s.map, loc)] }, loc }];
      case "exit":
        return [{ kind: "expr", expr: { kind: "call", fn: "exit", args: [] }, loc }];
      case "return":
        return [{ kind: "return", loc }];
      case "printf":
        return [
          {
            kind: "expr",
            expr: { kind: "call", fn: "printf", args: [{ kind: "string", value: s.format }, ...s.args.map((a) => this.exprs.lower(a, loc))] },
            loc,
          },
        ];
      case "if": {
        const cond = this.exprs.lower(s.cond, loc);
        const then = this.scope.inBlock(() => this.lowerBlock(s.then));
        const els = this.scope.inBlock(() => this.lowerBlock(s.else));
        return [{ kind: "if", cond, then, else: els, loc }];
      }
      case "emit":
        return this.lowerEmit(s, loc);
    }
  }

  private mapName(name: string, loc: SourceLoc): BtExpr {
    if (!this.scope.facts.maps.has(name)) throw new BackendError(BackendCode.Undeclared, `map '${name}' is used but not declared`, loc);
    return { kind: "map", name, key: null };
  }

  private lowerLet(name: string, value: Expr, loc: SourceLoc): BtStmt[] {
    const sized = value.kind === "sizedStr" || (value.kind === "local" && this.scope.lookupLocal(value.name)?.lengthVar !== undefined);
    // Lower the value before declaring: `let x = x + 1` in an inner block reads the outer x.
    let text: SizedText | undefined;
    let plain: BtExpr | undefined;
    if (value.kind === "sizedStr") text = this.exprs.sizedText(value, loc);
    else if (sized && value.kind === "local") {
      const src = this.scope.lookupLocal(value.name)!;
      text = { text: { kind: "var", name: src.btName }, length: { kind: "var", name: src.lengthVar! } };
    } else plain = storedValue(this.exprs.lower(value, loc));
    const isText = sized || isTextExpr(value) || (value.kind === "local" && this.scope.lookupLocal(value.name)?.isText === true);
    const b = this.scope.declareLocal(name, { isText, sized });
    if (text) {
      return [
        { kind: "assignVar", name: b.lengthVar!, value: text.length, loc },
        { kind: "assignVar", name: b.btName, value: text.text, loc },
      ];
    }
    return [{ kind: "assignVar", name: b.btName, value: plain!, loc }];
  }

  /** The slots of one field: two for a sized string (text, true length), one otherwise. */
  private fieldValues(type: ValueType, value: Expr, event: string, field: string, loc: SourceLoc): BtExpr[] {
    if (type.kind !== "sizedString") return [widened(type, storedValue(this.exprs.lower(value, loc)))];
    if (value.kind === "sizedStr") {
      const t = this.exprs.sizedText(value, loc);
      return [t.text, t.length];
    }
    if (value.kind === "local") {
      const b = this.scope.lookupLocal(value.name);
      if (b?.lengthVar !== undefined) return [{ kind: "var", name: b.btName }, { kind: "var", name: b.lengthVar }];
    }
    throw new BackendError(BackendCode.InvalidIr, `field '${field}' of event '${event}' is a sized string but its value carries no length`, loc);
  }

  private lowerEmit(s: Extract<Stmt, { kind: "emit" }>, loc: SourceLoc): BtStmt[] {
    const plan = this.events.get(s.event);
    if (!plan) throw new BackendError(BackendCode.Undeclared, `event '${s.event}' is emitted but not declared`, loc);
    const given = new Map(s.fields.map((f) => [f.name, f.value]));
    const values = new Map<string, BtExpr[]>();
    for (const f of plan.decl.fields) {
      const v = given.get(f.name);
      if (v === undefined) throw new BackendError(BackendCode.InvalidIr, `emit '${s.event}' lacks field '${f.name}'`, loc);
      values.set(f.name, this.fieldValues(f.type, v, s.event, f.name, loc));
    }
    for (const name of given.keys()) {
      if (!values.has(name)) throw new BackendError(BackendCode.InvalidIr, `emit '${s.event}' has field '${name}' that its event does not declare`, loc);
    }
    const tag = plan.decl.tag;
    const split = plan.layout.lines.length > 1;
    const out: BtStmt[] = [];
    let nsecs: BtExpr = { kind: "ident", name: "nsecs" };
    if (split) {
      // Head and continuations must carry the same timestamp: read it once.
      const ts = this.scope.temp("ts");
      out.push({ kind: "assignVar", name: ts, value: nsecs, loc });
      nsecs = { kind: "var", name: ts };
    }
    for (const line of plan.layout.lines) {
      const elements: BtExpr[] = [];
      for (const slot of line.slots) {
        switch (slot.kind) {
          case "tag":
            elements.push({ kind: "int", value: String(line.part === 0 ? tag : -tag), cast: "int64" });
            break;
          case "part":
            elements.push({ kind: "int", value: String(line.part), cast: "int64" });
            break;
          case "nsecs":
            elements.push(nsecs);
            break;
          case "pid":
          case "tid":
          case "comm":
            elements.push(HEADER_IDENT[slot.kind]);
            break;
          case "field":
            elements.push(values.get(slot.field)![0]);
            break;
          case "text":
            elements.push(values.get(slot.field)![0]);
            break;
          case "length":
            elements.push(values.get(slot.field)![1]);
            break;
        }
      }
      out.push({ kind: "expr", expr: { kind: "call", fn: "print", args: [{ kind: "tuple", elements }] }, loc });
    }
    return out;
  }
}
