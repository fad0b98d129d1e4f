// emit: the printed tuple the runtime decodes (see EventLayout in compiler/ir/manifest.ts), sized
// strings as (text, true length), and the split into head + continuation lines when the values
// would not fit on bpftrace 0.17's 512-byte stack together.
import { describe, expect, test } from "vitest";
import { generateScript, parseBpftraceTarget } from "../../../compiler/backend/index.js";
import type { EventDecl, Expr, ResolvedProgram, Stmt } from "../../../compiler/ir/program.js";
import { at, int, program, sym, uprobe } from "./ir-samples.js";

const sized = (limit: number) => ({ kind: "sizedString" as const, limit });
const sv = (ptr: string, len: Expr, limit: number): Expr => ({ kind: "sizedStr", ptr: { kind: "reg", name: ptr }, len, limit });

function withEvent(event: EventDecl, body: Stmt[], version = "0.17") {
  const p: ResolvedProgram = program({ events: [event], probes: [uprobe("p0", 10, "A::f", [{ symbols: [sym("_ZN1A1fEv", "A::f()", 0x10)], body }])] });
  return generateScript(p, { target: parseBpftraceTarget(version), probecVersion: "test" });
}

function okScript(event: EventDecl, body: Stmt[], version = "0.17") {
  const r = withEvent(event, body, version);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.code} ${e.message}`).join("\n"));
  return r.script;
}

describe("single-line events", () => {
  test("header then fields in declaration order; a sized string takes two slots", () => {
    const ev: EventDecl = {
      name: "sni",
      tag: 3,
      loc: at(2),
      fields: [
        { name: "fd", type: { kind: "int", bits: 32, signed: true } },
        { name: "host", type: sized(100) },
      ],
    };
    // Fields given in another order than declared: the declaration decides.
    const s = okScript(ev, [{ kind: "emit", event: "sni", fields: [{ name: "host", value: sv("si", { kind: "reg", name: "dx" }, 100) }, { name: "fd", value: { kind: "reg", name: "di" } }], loc: at(11) }]);
    expect(s.text).toContain('print((3, nsecs, pid, tid, comm, reg("di"), str(reg("si"), reg("dx") < 100 ? reg("dx") : 100), reg("dx")));');
    expect(s.events[0].layout).toEqual({
      lines: [
        {
          part: 0,
          slots: [{ kind: "tag" }, { kind: "nsecs" }, { kind: "pid" }, { kind: "tid" }, { kind: "comm" }, { kind: "field", field: "fd" }, { kind: "text", field: "host" }, { kind: "length", field: "host" }],
        },
      ],
    });
    expect(s.bpftraceEnv).toEqual({ BPFTRACE_STRLEN: "101" });
  });

  test("a length that is not a plain register is read once into a temporary", () => {
    const ev: EventDecl = { name: "s", tag: 1, loc: at(2), fields: [{ name: "v", type: sized(50) }] };
    const len: Expr = { kind: "deref", type: { kind: "int", bits: 64, signed: false }, operand: { kind: "binary", op: "+", left: { kind: "reg", name: "di" }, right: int(8) } };
    const s = okScript(ev, [{ kind: "emit", event: "s", fields: [{ name: "v", value: { kind: "sizedStr", ptr: { kind: "stackSlot", offset: 8 }, len, limit: 50 } }], loc: at(11) }]);
    expect(s.text).toContain('    $__len0 = *(uint64 *)(reg("di") + 8);\n    print((1, nsecs, pid, tid, comm, str(*(uint64 *)(reg("sp") + 8), $__len0 < 50 ? $__len0 : 50), $__len0));');
    expect(s.bpftraceEnv).toEqual({}); // 50 + 1 fits bpftrace's default of 64
  });

  test("a local holding a sized string keeps its length for a later emit", () => {
    const ev: EventDecl = { name: "s", tag: 1, loc: at(2), fields: [{ name: "v", type: sized(60) }] };
    const s = okScript(ev, [
      { kind: "let", name: "name", value: sv("si", { kind: "reg", name: "dx" }, 60), loc: at(11) },
      { kind: "emit", event: "s", fields: [{ name: "v", value: { kind: "local", name: "name" } }], loc: at(12) },
    ]);
    expect(s.text).toContain('    $name_len = reg("dx");\n    $name = str(reg("si"), reg("dx") < 60 ? reg("dx") : 60);\n    print((1, nsecs, pid, tid, comm, $name, $name_len));');
  });

  test("the copy is bounded by BPFTRACE_STRLEN when the limit asks for more than bpftrace can hold", () => {
    const ev: EventDecl = { name: "s", tag: 1, loc: at(2), fields: [{ name: "v", type: sized(4096) }] };
    const s = okScript(ev, [{ kind: "emit", event: "s", fields: [{ name: "v", value: sv("si", { kind: "reg", name: "dx" }, 4096) }], loc: at(11) }]);
    expect(s.bpftraceEnv).toEqual({ BPFTRACE_STRLEN: "200" });
    expect(s.text).toContain('reg("dx") < 199 ? reg("dx") : 199');
  });
});

describe("split events", () => {
  const ev: EventDecl = {
    name: "tls",
    tag: 4,
    loc: at(2),
    fields: [
      { name: "sni", type: sized(199) },
      { name: "fd", type: { kind: "int", bits: 32, signed: true } },
      { name: "alpn", type: { kind: "string" } },
      { name: "stack", type: { kind: "ustack" } },
    ],
  };
  const body: Stmt[] = [
    {
      kind: "emit",
      event: "tls",
      fields: [
        { name: "sni", value: sv("si", { kind: "reg", name: "dx" }, 199) },
        { name: "fd", value: { kind: "reg", name: "di" } },
        { name: "alpn", value: { kind: "call", fn: "str", args: [{ kind: "reg", name: "cx" }] } },
        { name: "stack", value: { kind: "call", fn: "ustack", args: [] } },
      ],
      loc: at(11),
    },
  ];

  test("two long strings go to continuation lines that share the head's timestamp", () => {
    const s = okScript(ev, body);
    expect(s.text).toContain(
      [
        "    $__ts0 = nsecs;",
        '    print((4, $__ts0, pid, tid, comm, reg("di"), ustack()));',
        '    print((-4, $__ts0, tid, 1, str(reg("si"), reg("dx") < 199 ? reg("dx") : 199), reg("dx")));',
        '    print((-4, $__ts0, tid, 2, str(reg("cx"))));',
      ].join("\n"),
    );
    expect(s.events[0].layout?.lines.map((l) => l.slots.map((x) => ("field" in x ? `${x.kind}:${x.field}` : x.kind)))).toEqual([
      ["tag", "nsecs", "pid", "tid", "comm", "field:fd", "field:stack"],
      ["tag", "nsecs", "tid", "part", "text:sni", "length:sni"],
      ["tag", "nsecs", "tid", "part", "field:alpn"],
    ]);
  });

  test("on 0.26 the tags and part numbers are cast to 64 bits", () => {
    const s = okScript(ev, body, "0.26");
    expect(s.text).toContain("print(((int64)-4, $__ts0, tid, (int64)1, str(");
  });

  test("an event whose non-text fields alone overflow the stack is refused at its declaration", () => {
    const wide: EventDecl = {
      name: "wide",
      tag: 1,
      loc: at(2),
      fields: [{ name: "t", type: sized(199) }, ...Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, type: { kind: "int" as const, bits: 64 as const, signed: false } }))],
    };
    const fields = wide.fields.map((f) => ({ name: f.name, value: f.type.kind === "sizedString" ? sv("si", { kind: "reg", name: "dx" }, 199) : int(1) }));
    const r = withEvent(wide, [{ kind: "emit", event: "wide", fields, loc: at(11) }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ code: 9512, loc: at(2) });
  });
});

describe("emit errors", () => {
  const ev: EventDecl = { name: "e", tag: 1, loc: at(2), fields: [{ name: "a", type: { kind: "int", bits: 64, signed: false } }, { name: "s", type: sized(10) }] };
  const run = (fields: { name: string; value: Expr }[], event = "e") => {
    const r = withEvent(ev, [{ kind: "emit", event, fields, loc: at(11) }]);
    if (r.ok) throw new Error("expected an error");
    return r.errors[0];
  };
  test("a missing field", () => expect(run([{ name: "a", value: int(1) }])).toMatchObject({ code: 9515, loc: at(11) }));
  test("an undeclared field", () =>
    expect(run([{ name: "a", value: int(1) }, { name: "s", value: sv("si", int(3), 10) }, { name: "zz", value: int(2) }]).message).toContain("'zz'"));
  test("a sized-string field given text without a length", () =>
    expect(run([{ name: "a", value: int(1) }, { name: "s", value: { kind: "str", value: "x" } }]).message).toContain("carries no length"));
  test("an undeclared event", () => expect(run([], "nope")).toMatchObject({ code: 9514, loc: at(11) }));
});

describe("integer widths in printed tuples", () => {
  test("integers narrower than 64 bits are widened (bpftrace 0.17 misaligns them next to ntop values)", () => {
    const ev: EventDecl = {
      name: "peer",
      tag: 1,
      loc: at(2),
      fields: [
        { name: "addr", type: { kind: "string" } },
        { name: "port", type: { kind: "int", bits: 16, signed: false } },
        { name: "fd", type: { kind: "int", bits: 32, signed: true } },
        { name: "ok", type: { kind: "bool" } },
        { name: "raw", type: { kind: "int", bits: 64, signed: false } },
      ],
    };
    const s = okScript(ev, [
      {
        kind: "emit",
        event: "peer",
        fields: [
          { name: "addr", value: { kind: "call", fn: "ntop", args: [{ kind: "reg", name: "si" }] } },
          { name: "port", value: { kind: "intCast", type: { kind: "int", bits: 16, signed: false }, operand: { kind: "reg", name: "dx" } } },
          { name: "fd", value: { kind: "deref", type: { kind: "int", bits: 32, signed: true }, operand: { kind: "reg", name: "di" } } },
          { name: "ok", value: { kind: "binary", op: "==", left: { kind: "reg", name: "cx" }, right: int(0) } },
          { name: "raw", value: { kind: "reg", name: "r8" } },
        ],
        loc: at(11),
      },
    ]);
    expect(s.text).toContain('print((1, nsecs, pid, tid, comm, ntop(reg("si")), (uint64)(uint16)reg("dx"), (int64)*(int32 *)reg("di"), (uint64)(reg("cx") == 0), reg("r8")));');
  });
});
