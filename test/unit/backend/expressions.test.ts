// Expression and statement lowering: precedence, quoting, casts and memory reads, locals renamed
// where TypeScript's block scoping would clash with bpftrace's probe-wide variables, and errors.
import { describe, expect, test } from "vitest";
import { generateScript, parseBpftraceTarget } from "../../../compiler/backend/index.js";
import { quoteString, ScriptPrinter } from "../../../compiler/backend/printer.js";
import type { BtExpr } from "../../../compiler/backend/ast.js";
import type { Expr, Stmt } from "../../../compiler/ir/program.js";
import { at, int, program, tracepoint } from "./ir-samples.js";

const v017 = parseBpftraceTarget("0.17");
const local = (name: string): Expr => ({ kind: "local", name });

function body(stmts: Stmt[]) {
  const r = generateScript(program({ probes: [tracepoint("p0", 10, "sys_enter_close", stmts, null)] }), { target: v017, probecVersion: "t" });
  if (!r.ok) return { errors: r.errors, text: "" };
  // The tracepoint's block only (the script also has the readiness BEGIN block after it).
  const start = r.script.text.indexOf("{\n") + 2;
  return { errors: [], text: r.script.text.slice(start, r.script.text.indexOf("\n}\n", start - 1) + 1) };
}

describe("printer", () => {
  const p = new ScriptPrinter(v017);
  const n = (v: number): BtExpr => ({ kind: "int", value: String(v) });
  const bin = (op: string, left: BtExpr, right: BtExpr): BtExpr => ({ kind: "binary", op, left, right });

  test("no two operators fuse into another token: a unary operand that starts with an operator is parenthesised", () => {
    const un = (op: "-" | "~" | "!" | "*", operand: BtExpr): BtExpr => ({ kind: "unary", op, operand });
    const x: BtExpr = { kind: "var", name: "x" };
    // `--$x` is a decrement to bpftrace; `x = -(-x)` once printed as `$x = (uint32)--$x;`.
    expect(p.expr(un("-", un("-", x)))).toBe("-(-$x)");
    expect(p.expr({ kind: "cast", type: "uint32", operand: un("-", un("-", x)) })).toBe("(uint32)-(-$x)");
    expect(p.expr(un("-", un("-", { kind: "ident", name: "pid" })))).toBe("-(-pid)");
    expect(p.expr(un("-", { kind: "int", value: "-1" }))).toBe("-(-1)");
    expect(p.expr(un("-", un("~", x)))).toBe("-(~$x)");
    expect(p.expr(un("~", un("-", x)))).toBe("~-$x");
    expect(p.expr(un("!", un("!", x)))).toBe("!!$x");
    expect(p.expr(bin("-", x, un("-", x)))).toBe("$x - -$x");
    expect(p.expr(bin("-", x, n(-1)))).toBe("$x - -1");
    expect(p.expr(bin("+", x, { kind: "int", value: "1" }))).toBe("$x + 1");
  });

  test("parentheses only where precedence or associativity needs them", () => {
    expect(p.expr(bin("*", bin("+", n(1), n(2)), n(3)))).toBe("(1 + 2) * 3");
    expect(p.expr(bin("+", n(1), bin("*", n(2), n(3))))).toBe("1 + 2 * 3");
    expect(p.expr(bin("-", bin("-", n(1), n(2)), n(3)))).toBe("1 - 2 - 3");
    expect(p.expr(bin("-", n(1), bin("-", n(2), n(3))))).toBe("1 - (2 - 3)");
    expect(p.expr(bin("&", n(1), bin("==", n(2), n(3))))).toBe("1 & (2 == 3)");
    expect(p.expr(bin("|", bin(">>", n(1), n(8)), bin("&", bin("<<", n(1), n(8)), n(65280))))).toBe("(1 >> 8) | ((1 << 8) & 65280)");
    expect(p.expr(bin("==", bin("&", n(1), n(2)), n(3)))).toBe("(1 & 2) == 3");
    expect(p.expr({ kind: "unary", op: "!", operand: bin("&&", n(1), n(2)) })).toBe("!(1 && 2)");
    expect(p.expr({ kind: "ternary", cond: n(1), then: n(2), else: { kind: "ternary", cond: n(3), then: n(4), else: n(5) } })).toBe("1 ? 2 : 3 ? 4 : 5");
    expect(p.expr({ kind: "ternary", cond: { kind: "ternary", cond: n(1), then: n(2), else: n(3) }, then: n(4), else: n(5) })).toBe("(1 ? 2 : 3) ? 4 : 5");
    expect(p.expr({ kind: "field", operand: { kind: "cast", type: "struct sock *", operand: { kind: "ident", name: "arg0" } }, name: "sk_family", arrow: true })).toBe(
      "((struct sock *)arg0)->sk_family",
    );
  });

  test("string literals escape quotes, backslashes and control bytes", () => {
    expect(quoteString('a"b\\c\nd\te\u0001')).toBe('"a\\"b\\\\c\\nd\\te\\001"');
    expect(quoteString("é")).toBe('"é"');
  });

  test("one-element tuples keep their comma", () => {
    expect(p.expr({ kind: "tuple", elements: [n(1)] })).toBe("(1,)");
  });
});

describe("statements", () => {
  test("a local declared again in another block gets its own bpftrace name; the outer one is still reachable", () => {
    const { text } = body([
      { kind: "let", name: "v", value: int(1), loc: at(11) },
      {
        kind: "if",
        cond: local("v"),
        then: [
          { kind: "let", name: "v", value: { kind: "str", value: "inner" }, loc: at(13) },
          { kind: "printf", format: "%s\n", args: [local("v")], loc: at(14) },
        ],
        else: [],
        loc: at(12),
      },
      { kind: "assign", name: "v", value: { kind: "binary", op: "+", left: local("v"), right: int(1) }, loc: at(16) },
    ]);
    expect(text).toBe(['    $v = 1;', "    if ($v) {", '        $v_1 = "inner";', '        printf("%s\\n", $v_1);', "    }", "    $v = $v + 1;", ""].join("\n"));
  });

  test("memory reads: stack slots, typed dereference, kernel struct casts, tuple fields", () => {
    const { text } = body([
      { kind: "let", name: "a", value: { kind: "stackSlot", offset: 16 }, loc: at(11) },
      { kind: "let", name: "b", value: { kind: "deref", type: { kind: "int", bits: 32, signed: true }, operand: { kind: "tpArg", field: "optval" } }, loc: at(12) },
      {
        kind: "let",
        name: "c",
        value: { kind: "field", operand: { kind: "field", operand: { kind: "structCast", struct: "sock", operand: { kind: "kArg", index: 0 } }, name: "__sk_common", arrow: true }, name: "skc_num", arrow: false },
        loc: at(13),
      },
      { kind: "let", name: "d", value: { kind: "intCast", type: { kind: "int", bits: 16, signed: false }, operand: { kind: "rawReg", name: "ax" } }, loc: at(14) },
    ]);
    expect(text).toContain('$a = *(uint64 *)(reg("sp") + 16);');
    expect(text).toContain("$b = *(int32 *)args->optval;");
    expect(text).toContain("$c = ((struct sock *)arg0)->__sk_common.skc_num;");
    expect(text).toContain('$d = (uint16)reg("ax");');
  });

  test("a sized string outside an event (printf, a comparison) is its bounded text", () => {
    const sized: Expr = { kind: "sizedStr", ptr: { kind: "reg", name: "si" }, len: { kind: "reg", name: "dx" }, limit: 30 };
    const { text } = body([
      { kind: "printf", format: "%s\n", args: [sized], loc: at(11) },
      { kind: "if", cond: { kind: "binary", op: "==", left: sized, right: { kind: "str", value: "default" } }, then: [{ kind: "return", loc: at(12) }], else: [], loc: at(12) },
    ]);
    expect(text).toContain('printf("%s\\n", str(reg("si"), reg("dx") < 30 ? reg("dx") : 30));');
    expect(text).toContain('if (str(reg("si"), reg("dx") < 30 ? reg("dx") : 30) == "default") {');
  });

  test("builtins and calls", () => {
    const { text } = body([
      { kind: "printf", format: "%s %d %s\n", args: [{ kind: "call", fn: "ksym", args: [{ kind: "kArg", index: 0 }] }, { kind: "builtin", name: "elapsed" }, { kind: "call", fn: "ntop", args: [int(0)] }], loc: at(11) },
    ]);
    expect(text).toBe('    printf("%s %d %s\\n", ksym(arg0), elapsed, ntop(0));\n');
  });
});

describe("errors carry the place in the probe source", () => {
  test("an argument read the ABI stage did not lower", () => {
    const { errors } = body([{ kind: "let", name: "x", value: { kind: "uArg", index: 1, read: { as: "stringView" }, loc: at(17, 9) }, loc: at(17) }]);
    expect(errors[0]).toMatchObject({ code: 9510, loc: at(17, 9) });
    expect(errors[0].message).toContain("argument 1");
  });
  test("an undeclared map", () => {
    const { errors } = body([{ kind: "mapSet", map: "nope", key: null, value: int(1), loc: at(12) }]);
    expect(errors[0]).toMatchObject({ code: 9514, loc: at(12) });
  });
  test("an undeclared parameter", () => {
    const { errors } = body([{ kind: "let", name: "x", value: { kind: "param", name: "NOPE" }, loc: at(13) }]);
    expect(errors[0]).toMatchObject({ code: 9514, loc: at(13) });
  });
  test("a local used before its declaration", () => {
    const { errors } = body([{ kind: "assign", name: "x", value: int(1), loc: at(14) }]);
    expect(errors[0]).toMatchObject({ code: 9514, loc: at(14) });
  });
  test("errors in several probes are all reported", () => {
    const p = program({
      probes: [
        tracepoint("p0", 10, "sys_enter_close", [{ kind: "mapSet", map: "a", key: null, value: int(1), loc: at(11) }], null),
        tracepoint("p1", 20, "sys_enter_close", [{ kind: "mapSet", map: "b", key: null, value: int(1), loc: at(21) }], null),
      ],
    });
    const r = generateScript(p, { target: v017, probecVersion: "t" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.loc?.line)).toEqual([11, 21]);
  });
  test("a keyed map used without a key", () => {
    const p = program({
      maps: [{ name: "m", loc: at(2), shape: "map", key: [{ kind: "int", bits: 32, signed: true }], value: { kind: "int", bits: 32, signed: true } }],
      probes: [tracepoint("p0", 10, "sys_enter_close", [{ kind: "mapSet", map: "m", key: null, value: int(1), loc: at(11) }], null)],
    });
    const r = generateScript(p, { target: v017, probecVersion: "t" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ code: 9515, loc: at(11) });
  });
});

describe("line map", () => {
  test("every statement and probe header line maps back to its source line", () => {
    const r = generateScript(program({ probes: [tracepoint("p0", 10, "sys_enter_close", [{ kind: "printf", format: "x\n", args: [], loc: at(11) }, { kind: "return", loc: at(12) }], null)] }), {
      target: v017,
      probecVersion: "t",
    });
    if (!r.ok) throw new Error("unexpected errors");
    const lines = r.script.text.split("\n");
    const byLine = new Map(r.script.lineMap.map((m) => [lines[m.btLine - 1].trim(), m.loc.line]));
    expect(byLine.get("tracepoint:syscalls:sys_enter_close")).toBe(10);
    expect(byLine.get('printf("x\\n");')).toBe(11);
    expect(byLine.get("return;")).toBe(12);
  });
});

describe("--bpftrace-version", () => {
  test("accepts 0.17 … 0.26 in the usual spellings and refuses older or malformed ones", () => {
    expect(parseBpftraceTarget("v0.26.1").version).toBe("0.26");
    expect(parseBpftraceTarget("0.17.0")).toMatchObject({ argsDot: false, strCopiesNMinusOne: false, castIntLiterals: false, maxProbes: 512 });
    expect(() => parseBpftraceTarget("0.16")).toThrow(/older than 0.17/);
    expect(() => parseBpftraceTarget("latest")).toThrow(/invalid bpftrace version 'latest'/);
  });
});

describe("sized strings taken apart", () => {
  // `name.length` / `name.text` of a string_view lower to tupleGet on the sizedStr the ABI produced:
  // bpftrace has no tuple there, so each part must become its own expression.
  const sized: Expr = { kind: "sizedStr", ptr: { kind: "reg", name: "si" }, len: { kind: "reg", name: "dx" }, limit: 64 };

  test("part 1 is the true length, part 0 the bounded text", () => {
    const { text, errors } = body([
      { kind: "if", cond: { kind: "binary", op: ">", left: { kind: "tupleGet", operand: sized, index: 1 }, right: int(0) }, then: [
        { kind: "printf", format: "%s\n", args: [{ kind: "tupleGet", operand: sized, index: 0 }], loc: at(12) },
      ], else: [], loc: at(11) },
    ]);
    expect(errors).toEqual([]);
    expect(text).toContain('if (reg("dx") > 0)');
    expect(text).toMatch(/str\(reg\("si"\)/);
    expect(text).not.toMatch(/\)\.[01]\b/);
  });
});

describe("maps bpftrace could not type", () => {
  test("a map read but never written is an error at the first read, before bpftrace sees the script", () => {
    const maps = [{ name: "wakeStart", loc: at(3), shape: "perThread" as const, key: [{ kind: "int" as const, bits: 32 as const, signed: false }], value: { kind: "int" as const, bits: 64 as const, signed: false } }];
    const read: Stmt = { kind: "if", cond: { kind: "mapGet", map: "wakeStart", key: [{ kind: "builtin", name: "tid" }] }, then: [{ kind: "exit", loc: at(13) }], else: [], loc: at(12) };
    const r = generateScript(program({ maps, probes: [tracepoint("p0", 10, "sys_enter_close", [read], null)] }), { target: v017, probecVersion: "t" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, e.loc?.line])).toEqual([[9516, 12]]);
    expect(r.errors[0].message).toContain("wakeStart");

    const write: Stmt = { kind: "mapSet", map: "wakeStart", key: [{ kind: "builtin", name: "tid" }], value: { kind: "builtin", name: "nsecs" }, loc: at(20) };
    const ok = generateScript(program({ maps, probes: [tracepoint("p0", 10, "sys_enter_close", [read], null), tracepoint("p1", 19, "sys_exit_close", [write], null)] }), { target: v017, probecVersion: "t" });
    expect(ok.ok).toBe(true);
  });
});
