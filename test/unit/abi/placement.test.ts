import { describe, expect, it } from "vitest";
import { classifyParam, type Arch, type Stdlib } from "../../../compiler/abi/classify.js";
import { aapcs64 } from "../../../compiler/abi/conventions/aapcs64.js";
import type { Location } from "../../../compiler/abi/conventions/location.js";
import { sysvX86_64 } from "../../../compiler/abi/conventions/sysv-x86_64.js";

function place(arch: Arch, params: string[], opts: { hasThis?: boolean; returns?: string; stdlib?: Stdlib } = {}) {
  const ctx = { arch, stdlib: opts.stdlib ?? "libstdc++" };
  const conv = arch === "x86_64" ? sysvX86_64 : aapcs64;
  return conv.placeCall({
    params: params.map((p) => classifyParam(p, ctx).cls),
    hasThis: opts.hasThis ?? true,
    returns: opts.returns ? classifyParam(opts.returns, ctx).cls : null,
  });
}

/** `di`, `si+dx`, `sp+8`, `xmm0` — compact text of a location. */
function show(l: Location | null): string {
  if (l === null) return "-";
  if (l.kind === "vector") return l.name;
  if (l.kind === "unplaced") return "unplaced";
  return l.words.map((w) => (w.kind === "reg" ? w.name : `sp+${w.offset}`)).join("+");
}

const SV = "absl::string_view";

describe("System V x86-64 placement", () => {
  it("this first, then a string_view in two registers (what the seed reads: si, dx)", () => {
    const p = place("x86_64", [SV]);
    expect(show(p.thisLocation)).toBe("di");
    expect(p.params.map(show)).toEqual(["si+dx"]);
  });

  it("string_view as 2nd and 3rd parameter", () => {
    expect(place("x86_64", ["int", SV]).params.map(show)).toEqual(["si", "dx+cx"]);
    expect(place("x86_64", ["int", "long", SV]).params.map(show)).toEqual(["si", "dx", "cx+r8"]);
  });

  it("string_view as 7th parameter goes wholly on the stack", () => {
    const p = place("x86_64", ["int", "int", "int", "int", "int", "int", SV]);
    expect(p.params.map(show)).toEqual(["si", "dx", "cx", "r8", "r9", "sp+8", "sp+16+sp+24"]);
  });

  it("a string_view that does not fit in the last register goes on the stack, and a later int still takes that register", () => {
    const p = place("x86_64", ["int", "int", "int", "int", SV, "int"]);
    expect(p.params.map(show)).toEqual(["si", "dx", "cx", "r8", "sp+8+sp+16", "r9"]);
  });

  it("a double takes xmm0 and no integer register", () => {
    expect(place("x86_64", ["double", SV]).params.map(show)).toEqual(["xmm0", "si+dx"]);
  });

  it("floats past xmm7 go on the stack", () => {
    const p = place("x86_64", Array.from({ length: 9 }, () => "double"), { hasThis: false });
    expect(p.params.map(show).slice(7)).toEqual(["xmm7", "sp+8"]);
  });

  it("non-trivial classes by value are a pointer in an integer register", () => {
    const p = place("x86_64", ["std::function<void (unsigned int)>", "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >"]);
    expect(p.params.map(show)).toEqual(["si", "dx"]);
  });

  it("a result returned in memory takes rdi and moves this to rsi", () => {
    const p = place("x86_64", [SV], { returns: "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >" });
    expect(show(p.thisLocation)).toBe("si");
    expect(p.params.map(show)).toEqual(["dx+cx"]);
  });

  it("__int128 on the stack is 16-byte aligned", () => {
    const p = place("x86_64", ["int", "int", "int", "int", "int", "int", "long", "__int128"], { hasThis: false });
    expect(p.params.map(show).slice(5)).toEqual(["r9", "sp+8", "sp+24+sp+32"]);
  });

  it("an unknown class by value blocks itself and every later parameter, not earlier ones", () => {
    const p = place("x86_64", ["int", "Foo::Bar", SV]);
    expect(p.params.map(show)).toEqual(["si", "unplaced", "unplaced"]);
  });

  it("string_view returned by value is rax:rdx", () => {
    const r = sysvX86_64.placeReturn(classifyParam(SV, { arch: "x86_64", stdlib: "libstdc++" }).cls);
    expect(show(r)).toBe("ax+dx");
  });
});

describe("AAPCS64 placement", () => {
  it("this in x0, a string_view in the next two registers", () => {
    const p = place("aarch64", [SV]);
    expect(show(p.thisLocation)).toBe("r0");
    expect(p.params.map(show)).toEqual(["r1+r2"]);
  });

  it("no even-register rule for 8-byte-aligned aggregates", () => {
    expect(place("aarch64", ["int", SV]).params.map(show)).toEqual(["r1", "r2+r3"]);
  });

  it("the 7th parameter still fits in registers (x0–x7)", () => {
    const p = place("aarch64", ["int", "int", "int", "int", "int", "int", SV]);
    expect(p.params.map(show)).toEqual(["r1", "r2", "r3", "r4", "r5", "r6", "sp+0+sp+8"]);
  });

  it("an aggregate that does not fit spills and later integers go on the stack too (C.13)", () => {
    const p = place("aarch64", ["int", "int", "int", "int", "int", "int", SV, "int"]);
    expect(p.params.map(show).slice(5)).toEqual(["r6", "sp+0+sp+8", "sp+16"]);
  });

  it("__int128 starts at an even register", () => {
    expect(place("aarch64", ["__int128"]).params.map(show)).toEqual(["r2+r3"]);
  });

  it("a double takes v0, and the return type never moves the arguments (x8 holds the result address)", () => {
    const p = place("aarch64", ["double", SV], { returns: "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >" });
    expect(show(p.thisLocation)).toBe("r0");
    expect(p.params.map(show)).toEqual(["v0", "r1+r2"]);
  });

  it("returns: string_view in x0:x1; a class in memory is not readable at return", () => {
    const ctx = { arch: "aarch64" as const, stdlib: "libstdc++" as const };
    expect(show(aapcs64.placeReturn(classifyParam(SV, ctx).cls))).toBe("r0+r1");
    expect(aapcs64.placeReturn(classifyParam("std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >", ctx).cls).kind).toBe("unplaced");
  });
});
