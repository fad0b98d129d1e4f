import { describe, expect, it } from "vitest";
import { lowerProbe, AbiCode, type AbiSymbol, type AbiBinary } from "../../../compiler/abi/index.js";
import type { ArgRead, Expr, Stmt } from "../../../compiler/ir/program.js";
import { arg, binary, emitOf, probe, symbol, SV_READ, LOC } from "./ir-builders.js";
import { printIr } from "./print-ir.js";

const LIBCXX_SV = "std::__1::basic_string_view<char, std::__1::char_traits<char> >";
const GNU_SV = "std::basic_string_view<char, std::char_traits<char> >";
const GNU_STRING = "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >";
const LIBCXX_STRING = "std::__1::basic_string<char, std::__1::char_traits<char>, std::__1::allocator<char> >";

/** Lowers one read in an emit and returns the printed lowered expression (or throws with the diagnostics). */
function lowered(read: Expr, sym: AbiSymbol, bin: AbiBinary, kind: "uprobe" | "uretprobe" = "uprobe"): string {
  const r = lowerProbe(probe(kind, [emitOf({ v: read })]), [sym], bin);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `PC${d.code} ${d.message}`).join("\n"));
  const body = r.attachments[0].body[0] as Extract<Stmt, { kind: "emit" }>;
  return printIr(body.fields[0].value);
}

function diagnosticsOf(read: Expr, sym: AbiSymbol, bin: AbiBinary, kind: "uprobe" | "uretprobe" = "uprobe") {
  const r = lowerProbe(probe(kind, [emitOf({ v: read })]), [sym], bin);
  expect(r.ok).toBe(false);
  expect(r.attachments).toEqual([]);
  return r.diagnostics.filter((d) => d.category === "error");
}

const setFilterChainName = (sv: string) => symbol(`Envoy::StreamInfo::StreamInfoImpl::setFilterChainName(${sv})`, [sv]);
const x86 = (stdlib: "libc++" | "libstdc++") => binary("x86_64", stdlib);
const arm = (stdlib: "libc++" | "libstdc++") => binary("aarch64", stdlib);

describe("string_view reads, x86-64", () => {
  it("absl's class as the first parameter of a member: ptr in si, length in dx (the seed's registers)", () => {
    expect(lowered(arg(0, SV_READ), setFilterChainName("absl::string_view"), x86("libstdc++"))).toBe('sized(reg("si"), reg("dx"), 64)');
  });

  it("libc++ std::string_view: {data, size}", () => {
    expect(lowered(arg(0, SV_READ), setFilterChainName(LIBCXX_SV), x86("libc++"))).toBe('sized(reg("si"), reg("dx"), 64)');
  });

  it("libstdc++ std::string_view: {len, str}, the order swapped", () => {
    expect(lowered(arg(0, SV_READ), setFilterChainName(GNU_SV), x86("libstdc++"))).toBe('sized(reg("dx"), reg("si"), 64)');
  });

  it("as 2nd, 3rd and 7th parameter, and after a double", () => {
    const m = (name: string, params: string[]) => symbol(`Envoy::Fixture::AbiProbe::${name}(${params.join(", ")})`, params);
    const b = x86("libstdc++");
    expect(lowered(arg(1, SV_READ), m("svSecond", ["int", GNU_SV]), b)).toBe('sized(reg("cx"), reg("dx"), 64)');
    expect(lowered(arg(2, SV_READ), m("svThird", ["int", "long", GNU_SV]), b)).toBe('sized(reg("r8"), reg("cx"), 64)');
    expect(lowered(arg(6, SV_READ), m("svSeventh", ["int", "int", "int", "int", "int", "int", "absl::string_view"]), b)).toBe(
      'sized(*(uint64*)(reg("sp") + 16), *(uint64*)(reg("sp") + 24), 64)',
    );
    expect(lowered(arg(1, SV_READ), m("svAfterDouble", ["double", "absl::string_view"]), b)).toBe('sized(reg("si"), reg("dx"), 64)');
    // Split: the view goes on the stack, the int after it takes r9.
    const split = m("svSplit", ["int", "int", "int", "int", "absl::string_view", "int"]);
    expect(lowered(arg(4, SV_READ), split, b)).toBe('sized(*(uint64*)(reg("sp") + 8), *(uint64*)(reg("sp") + 16), 64)');
    expect(lowered(arg(5, { as: "int", type: { kind: "int", bits: 32, signed: true } }), split, b)).toBe('(int32)reg("r9")');
  });

  it("returned by value: rax:rdx, in the binary's layout", () => {
    const svReturn = symbol("Envoy::Fixture::AbiProbe::svReturn(absl::string_view)", ["absl::string_view"]);
    const ret: Expr = { kind: "uRet", read: SV_READ, loc: LOC };
    expect(lowered(ret, svReturn, binary("x86_64", "libstdc++", { abslStringView: "class" }), "uretprobe")).toBe('sized(reg("ax"), reg("dx"), 64)');
    expect(lowered(ret, svReturn, binary("x86_64", "libstdc++", { abslStringView: "alias" }), "uretprobe")).toBe('sized(reg("dx"), reg("ax"), 64)');
    expect(lowered(ret, svReturn, binary("x86_64", "libc++"), "uretprobe")).toBe('sized(reg("ax"), reg("dx"), 64)');
    // A declared return type decides by itself.
    expect(lowered(ret, { ...svReturn, returnType: GNU_SV }, binary("x86_64", "libstdc++"), "uretprobe")).toBe('sized(reg("dx"), reg("ax"), 64)');
  });

  it("a string_view behind a reference or pointer is read from memory", () => {
    const s = symbol("ns::Cls::f(absl::string_view const&)", ["absl::string_view const&"]);
    expect(lowered(arg(0, SV_READ), s, x86("libstdc++"))).toBe('sized(*(uint64*)(reg("si")), *(uint64*)(reg("si") + 8), 64)');
    const g = symbol("ns::Cls::f(std::basic_string_view<char, std::char_traits<char> > const*)", [`${GNU_SV} const*`]);
    expect(lowered(arg(0, SV_READ), g, x86("libstdc++"))).toBe('sized(*(uint64*)(reg("si") + 8), *(uint64*)(reg("si")), 64)');
  });

  it("the limit travels into sizedStr", () => {
    expect(lowered(arg(0, { as: "stringView", limit: 200 }), setFilterChainName("absl::string_view"), x86("libstdc++"))).toBe('sized(reg("si"), reg("dx"), 200)');
  });
});

describe("std::string reads", () => {
  const stringRef = (t: string) => symbol(`Envoy::Fixture::AbiProbe::stringRef(${t} const&)`, [`${t} const&`]);
  it("libstdc++: pointer at 0, length at 8", () => {
    expect(lowered(arg(0, { as: "stdString" }), stringRef(GNU_STRING), x86("libstdc++"))).toBe(
      'sized(*(uint64*)(reg("si")), *(uint64*)(reg("si") + 8), 64)',
    );
  });

  it("libc++: the long bit of byte 0 chooses between the inline and the heap text", () => {
    expect(lowered(arg(0, { as: "stdString" }), stringRef(LIBCXX_STRING), x86("libc++"))).toBe(
      'sized((*(uint8*)(reg("si")) & 1 ? *(uint64*)(reg("si") + 16) : reg("si") + 1), (*(uint8*)(reg("si")) & 1 ? *(uint64*)(reg("si") + 8) : *(uint8*)(reg("si")) >> 1), 64)',
    );
  });

  it("by pointer and by value (invisible reference) read the same way", () => {
    const ptr = symbol(`X::Y::stringPtr(${GNU_STRING}*)`, [`${GNU_STRING}*`]);
    expect(lowered(arg(0, { as: "stdString" }), ptr, x86("libstdc++"))).toBe('sized(*(uint64*)(reg("si")), *(uint64*)(reg("si") + 8), 64)');
    const byValue = symbol(`X::Y::take(int, ${GNU_STRING})`, ["int", GNU_STRING]);
    expect(lowered(arg(1, { as: "stdString" }), byValue, x86("libstdc++"))).toBe('sized(*(uint64*)(reg("dx")), *(uint64*)(reg("dx") + 8), 64)');
  });

  it("the old copy-on-write libstdc++ string keeps its length before the text", () => {
    const cow = symbol("X::Y::old(std::string const&)", ["std::string const&"]);
    expect(lowered(arg(0, { as: "stdString" }), cow, x86("libstdc++"))).toBe('sized(*(uint64*)(reg("si")), *(uint64*)(*(uint64*)(reg("si")) - 24), 64)');
  });

  it("returned by value at a uretprobe on x86-64: rax holds the object's address", () => {
    const s = symbol("X::Y::name() const", [], { returnType: GNU_STRING });
    expect(lowered({ kind: "uRet", read: { as: "stdString" } }, s, x86("libstdc++"), "uretprobe")).toBe(
      'sized(*(uint64*)(reg("ax")), *(uint64*)(reg("ax") + 8), 64)',
    );
  });
});

describe("AArch64", () => {
  it("string_view after this is x1:x2; libstdc++ swaps them", () => {
    expect(lowered(arg(0, SV_READ), setFilterChainName("absl::string_view"), arm("libstdc++"))).toBe('sized(reg("r1"), reg("r2"), 64)');
    expect(lowered(arg(0, SV_READ), setFilterChainName(GNU_SV), arm("libstdc++"))).toBe('sized(reg("r2"), reg("r1"), 64)');
    expect(lowered(arg(0, SV_READ), setFilterChainName(LIBCXX_SV), arm("libc++"))).toBe('sized(reg("r1"), reg("r2"), 64)');
  });

  it("7th parameter: this takes x0, so the view would need x7 and x8 and goes to sp+0", () => {
    const s = symbol("A::B::svSeventh(int, int, int, int, int, int, absl::string_view)", ["int", "int", "int", "int", "int", "int", "absl::string_view"]);
    expect(lowered(arg(6, SV_READ), s, arm("libstdc++"))).toBe('sized(*(uint64*)(reg("sp") + 0), *(uint64*)(reg("sp") + 8), 64)');
    expect(lowered(arg(5, { as: "int", type: { kind: "int", bits: 32, signed: true } }), s, arm("libstdc++"))).toBe('(int32)reg("r6")');
  });

  it("after a double: the double is in v0, the view in x1:x2", () => {
    const s = symbol("A::B::svAfterDouble(double, absl::string_view)", ["double", "absl::string_view"]);
    expect(lowered(arg(1, SV_READ), s, arm("libstdc++"))).toBe('sized(reg("r1"), reg("r2"), 64)');
  });

  it("returned by value: x0:x1", () => {
    const s = symbol("A::B::svReturn(absl::string_view)", ["absl::string_view"], { returnType: "absl::string_view" });
    expect(lowered({ kind: "uRet", read: SV_READ }, s, arm("libstdc++"), "uretprobe")).toBe('sized(reg("r0"), reg("r1"), 64)');
  });

  it("std::string by reference in x1 (libc++ layout)", () => {
    const s = symbol(`A::B::stringRef(${LIBCXX_STRING} const&)`, [`${LIBCXX_STRING} const&`]);
    expect(lowered(arg(0, { as: "stdString" }), s, arm("libc++"))).toContain('*(uint8*)(reg("r1")) & 1');
  });
});

describe("this, integers, pointers, C strings, raw registers", () => {
  const s = symbol("Envoy::Network::IoSocketHandleImpl::accept(sockaddr*, unsigned int*)", ["sockaddr*", "unsigned int*"]);
  it("this is the first integer register", () => {
    expect(lowered({ kind: "uThis" }, s, x86("libstdc++"))).toBe('reg("di")');
    expect(lowered({ kind: "uThis" }, s, arm("libstdc++"))).toBe('reg("r0")');
  });

  it("pointers are the register itself; integers are cast to the parameter's width", () => {
    expect(lowered(arg(1, { as: "pointer" }), s, x86("libstdc++"))).toBe('reg("dx")');
    const ev = symbol("Envoy::Network::TcpListenerImpl::onSocketEvent(short)", ["short"]);
    expect(lowered(arg(0, { as: "int", type: { kind: "int", bits: 16, signed: true } }), ev, x86("libstdc++"))).toBe('(int16)reg("si")');
    expect(lowered(arg(0, { as: "int", type: { kind: "int", bits: 64, signed: true } }), ev, x86("libstdc++"))).toBe('(int64)(int16)reg("si")');
  });

  it("a C string from a char pointer", () => {
    const c = symbol("ns::f(char const*, int)", ["char const*", "int"]);
    expect(lowered(arg(0, { as: "cstr" }), c, x86("libstdc++"))).toBe('str(reg("di"))');
    expect(lowered(arg(0, { as: "cstr", limit: 32 }), c, x86("libstdc++"))).toBe('str(reg("di"), 32)');
  });

  it("raw: the words of an aggregate as a tuple", () => {
    expect(lowered(arg(0, { as: "raw" }), setFilterChainName("absl::string_view"), x86("libstdc++"))).toBe('(reg("si"), reg("dx"))');
  });

  it("the raw register escape hatch is checked against bpftrace's names", () => {
    expect(lowered({ kind: "rawReg", name: "r9" }, s, x86("libstdc++"))).toBe('reg("r9")');
    const d = diagnosticsOf({ kind: "rawReg", name: "rdi" }, s, x86("libstdc++"));
    expect(d[0].code).toBe(AbiCode.UnknownRegister);
    expect(d[0].message).toContain("'rdi' is not a register bpftrace knows on x86_64");
    expect(diagnosticsOf({ kind: "rawReg", name: "eax" }, s, arm("libstdc++"))[0].code).toBe(AbiCode.UnknownRegister);
    expect(diagnosticsOf({ kind: "rawReg", name: "x0" }, s, x86("libstdc++"))[0].code).toBe(AbiCode.UnknownRegister);
    // On AArch64 the architectural names x0…x30 are accepted and printed as bpftrace's r0…r30.
    expect(lowered({ kind: "rawReg", name: "x8" }, s, arm("libstdc++"))).toBe('reg("r8")');
    expect(lowered({ kind: "rawReg", name: "sp" }, s, arm("libstdc++"))).toBe('reg("sp")');
  });

  it("a C function without parameter types: word-sized reads by position", () => {
    const c = symbol("event_base_loop", null);
    expect(lowered(arg(1, { as: "int", type: { kind: "int", bits: 32, signed: true } }), c, x86("libstdc++"))).toBe('(int32)reg("si")');
    expect(diagnosticsOf(arg(0, SV_READ), c, x86("libstdc++"))[0].code).toBe(AbiCode.NoParameterTypes);
  });
});

describe("diagnostics name the real type, the symbol and the place", () => {
  it("stringView of an int", () => {
    const s = symbol("Envoy::Network::TcpListenerImpl::onSocketEvent(short)", ["short"]);
    const [d] = diagnosticsOf(arg(0, SV_READ), s, x86("libstdc++"));
    expect(d.code).toBe(AbiCode.ReadDoesNotFitType);
    expect(d.message).toBe("cannot read parameter 0 of Envoy::Network::TcpListenerImpl::onSocketEvent(short) as a string_view: parameter 0 has type 'short'");
    expect(d.loc).toEqual({ file: "t.probe.ts", line: 3, column: 30 });
  });

  it("stdString of a string_view suggests the right reader", () => {
    const [d] = diagnosticsOf(arg(0, { as: "stdString" }), setFilterChainName("absl::string_view"), x86("libstdc++"));
    expect(d.message).toContain("has type 'absl::string_view'; use .stringView()");
  });

  it("index past the end lists the parameters", () => {
    const [d] = diagnosticsOf(arg(3, SV_READ), setFilterChainName("absl::string_view"), x86("libstdc++"));
    expect(d.code).toBe(AbiCode.ArgIndexOutOfRange);
    expect(d.message).toContain("takes 1 parameter (absl::string_view)");
  });

  it("a double is in a vector register bpftrace cannot read", () => {
    const s = symbol("A::B::svAfterDouble(double, absl::string_view)", ["double", "absl::string_view"]);
    const [d] = diagnosticsOf(arg(0, { as: "int", type: { kind: "int", bits: 64, signed: true } }), s, x86("libstdc++"));
    expect(d.code).toBe(AbiCode.ReadDoesNotFitType);
    const [raw] = diagnosticsOf(arg(0, { as: "raw" }), s, x86("libstdc++"));
    expect(raw.code).toBe(AbiCode.VectorRegister);
    expect(raw.message).toContain("xmm0");
  });

  it("an unknown class by value before the read parameter", () => {
    const s = symbol("A::B::f(Envoy::Network::Address::Type, absl::string_view)", ["Envoy::Network::Address::Type", "absl::string_view"]);
    const [d] = diagnosticsOf(arg(1, SV_READ), s, x86("libstdc++"));
    expect(d.code).toBe(AbiCode.CannotPlaceParameter);
    expect(d.message).toContain("'Envoy::Network::Address::Type' is passed by value");
    // …which a declaration fixes.
    const ok = lowerProbe(probe("uprobe", [emitOf({ v: arg(1, SV_READ) })]), [s], x86("libstdc++"), {
      declaredClasses: { "Envoy::Network::Address::Type": { kind: "int", bits: 32, signed: true } },
    });
    expect(ok.ok).toBe(true);
  });

  it("an integer read of an unknown by-value type assumes an enum, with a warning, and only for that parameter", () => {
    const s = symbol("A::B::f(Envoy::Network::Address::Type, absl::string_view)", ["Envoy::Network::Address::Type", "absl::string_view"]);
    const r = lowerProbe(probe("uprobe", [emitOf({ v: arg(0, { as: "int", type: { kind: "int", bits: 32, signed: false } }) })]), [s], x86("libstdc++"));
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toContain(AbiCode.AssumedEnum);
    const ev = r.attachments[0].body[0] as Extract<Stmt, { kind: "emit" }>;
    expect(printIr(ev.fields[0].value)).toBe('(uint32)reg("si")');
    // A string_view after it still cannot be placed.
    expect(diagnosticsOf(arg(1, SV_READ), s, x86("libstdc++"))[0].code).toBe(AbiCode.CannotPlaceParameter);
  });

  it("an argument in a uretprobe, a return value in a uprobe", () => {
    expect(diagnosticsOf(arg(0, SV_READ), setFilterChainName("absl::string_view"), x86("libstdc++"), "uretprobe")[0].code).toBe(AbiCode.ArgumentAtReturn);
    expect(diagnosticsOf({ kind: "uRet", read: SV_READ }, setFilterChainName("absl::string_view"), x86("libstdc++"))[0].code).toBe(AbiCode.ReturnValueAtEntry);
  });

  it("a returned string_view of unknown layout asks for the return type", () => {
    const [d] = diagnosticsOf({ kind: "uRet", read: SV_READ }, setFilterChainName("absl::string_view"), x86("libstdc++"), "uretprobe");
    expect(d.code).toBe(AbiCode.ReturnTypeUnknown);
  });

  it("a string limit beyond bpftrace's 200 bytes", () => {
    const [d] = diagnosticsOf(arg(0, { as: "stringView", limit: 500 } as ArgRead), setFilterChainName("absl::string_view"), x86("libstdc++"));
    expect(d.code).toBe(AbiCode.BadStringLimit);
  });

  it("this of a free function or a lambda's static invoker", () => {
    const free = symbol("absl::debian3::numbers_internal::safe_strto32_base(absl::debian3::string_view, int*, int)", ["absl::debian3::string_view", "int*", "int"]);
    expect(diagnosticsOf({ kind: "uThis" }, { ...free, isMember: false }, x86("libstdc++"))[0].code).toBe(AbiCode.NoThis);
    const invoker = symbol("Envoy::Event::FileEventImpl::assignEvents(unsigned int, event_base*)::{lambda(int, short, void*)#1}::_FUN(int, short, void*)", ["int", "short", "void*"]);
    expect(diagnosticsOf({ kind: "uThis" }, invoker, x86("libstdc++"))[0].message).toContain("static invoker");
  });

  it("argument reads in a tracepoint probe", () => {
    const p = { ...probe("uprobe", [emitOf({ v: arg(0, SV_READ) })]), attach: { kind: "tracepoint" as const, category: "syscalls", name: "sys_enter_accept4" } };
    const r = lowerProbe(p, [], x86("libstdc++"));
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0].code).toBe(AbiCode.NotAUserProbe);
  });
});

describe("free vs member functions", () => {
  it("a free function in a lower-case namespace takes its string_view in rdi:rsi", () => {
    const free = symbol("absl::debian3::numbers_internal::safe_strto32_base(absl::debian3::string_view, int*, int)", ["absl::debian3::string_view", "int*", "int"]);
    expect(lowered(arg(0, SV_READ), free, x86("libstdc++"))).toBe('sized(reg("di"), reg("si"), 64)');
    expect(lowered(arg(2, { as: "int", type: { kind: "int", bits: 32, signed: true } }), free, x86("libstdc++"))).toBe('(int32)reg("cx")');
  });

  it("the guess is a warning; known classes and declarations silence it", () => {
    const r = lowerProbe(probe("uprobe", [emitOf({ v: arg(0, SV_READ) })]), [setFilterChainName("absl::string_view")], x86("libstdc++"));
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.category])).toEqual([[AbiCode.MemberFunctionGuessed, "warning"]]);
    const known = lowerProbe(probe("uprobe", [emitOf({ v: arg(0, SV_READ) })]), [setFilterChainName("absl::string_view")], binary("x86_64", "libstdc++", { knownClasses: new Set(["Envoy::StreamInfo::StreamInfoImpl"]) }));
    expect(known.diagnostics).toEqual([]);
    const declaredFree = lowered(arg(0, SV_READ), { ...setFilterChainName("absl::string_view"), isMember: false }, x86("libstdc++"));
    expect(declaredFree).toBe('sized(reg("di"), reg("si"), 64)');
  });

  it("several guessed symbols in one probe make one warning that lists them", () => {
    const a = setFilterChainName("absl::string_view");
    const b = { ...symbol("envoy::util::setFilterChainName(absl::string_view)", ["absl::string_view"]), address: 0x2000 };
    const r = lowerProbe(probe("uprobe", [emitOf({ v: arg(0, SV_READ) })]), [a, b], x86("libstdc++"));
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].message).toContain("for 2 functions");
    expect(r.diagnostics[0].notes).toEqual([
      "Envoy::StreamInfo::StreamInfoImpl::setFilterChainName(absl::string_view): member, 'this' first ('Envoy::StreamInfo::StreamInfoImpl' looks like a class)",
      "envoy::util::setFilterChainName(absl::string_view): free function ('envoy::util' looks like a namespace)",
    ]);
    // …and each got its own lowering.
    expect(r.attachments.map((g) => g.symbols.length)).toEqual([1, 1]);
  });

  it("a const member function is a member whatever its name", () => {
    const s = symbol("envoy::impl::get(absl::string_view) const", ["absl::string_view"]);
    expect(lowered(arg(0, SV_READ), s, x86("libstdc++"))).toBe('sized(reg("si"), reg("dx"), 64)');
  });
});

describe("grouping", () => {
  it("overloads whose lowered code is identical share one attachment; others get their own", () => {
    const a = setFilterChainName("absl::string_view");
    const b = { ...symbol("Envoy::X::Impl::setFilterChainName(absl::string_view)", ["absl::string_view"]), address: 0x2000 };
    const c = { ...symbol("Envoy::X::Impl::setFilterChainName(int, absl::string_view)", ["int", "absl::string_view"]), address: 0x3000 };
    const r = lowerProbe(probe("uprobe", [emitOf({ v: arg(0, { as: "raw" }) })]), [a, b, c], x86("libstdc++"));
    expect(r.ok).toBe(true);
    expect(r.attachments.map((g) => g.symbols.map((s) => s.address))).toEqual([[0x1000, 0x2000], [0x3000]]);
    // What reaches the backend is a plain ResolvedSymbolRef.
    expect(Object.keys(r.attachments[0].symbols[0]).sort()).toEqual(["address", "demangled", "mangled", "params", "size"]);
  });

  it("lowers the filter and nested statements too", () => {
    const cond: Expr = { kind: "binary", op: ">", left: arg(1, { as: "int", type: { kind: "int", bits: 32, signed: true } }), right: { kind: "int", value: "0" } };
    const p = probe("uprobe", [{ kind: "if", cond, then: [emitOf({ v: { kind: "uThis" } })], else: [], loc: LOC }], cond);
    const r = lowerProbe(p, [symbol("A::B::f(int, int)", ["int", "int"])], x86("libstdc++"));
    expect(r.ok).toBe(true);
    expect(printIr(r.attachments[0].filter!)).toBe('(int32)reg("dx") > 0');
    const ifs = r.attachments[0].body[0] as Extract<Stmt, { kind: "if" }>;
    expect(printIr(ifs.cond)).toBe('(int32)reg("dx") > 0');
    expect(printIr((ifs.then[0] as Extract<Stmt, { kind: "emit" }>).fields[0].value)).toBe('reg("di")');
  });
});

describe("GCC clones", () => {
  it("refuses argument reads of .isra/.constprop/.part clones, whose parameters differ from the signature", () => {
    const s = symbol("Envoy::X::Impl::f(absl::string_view) [clone .isra.0]", ["absl::string_view"], { mangled: "_ZN5Envoy1X4Impl1fEN4absl11string_viewE.isra.0" });
    const [d] = diagnosticsOf(arg(0, SV_READ), s, x86("libstdc++"));
    expect(d.code).toBe(AbiCode.CloneChangedSignature);
    expect(d.message).toContain("'.isra.0' clone");
    // The return value of a clone is still where the ABI puts it.
    expect(lowered({ kind: "uRet", read: { as: "int", type: { kind: "int", bits: 32, signed: true } } }, s, x86("libstdc++"), "uretprobe")).toBe('(int32)reg("ax")');
  });
});

describe("[abi:cxx11] return types on x86-64", () => {
  const tagged = symbol("Envoy::Network::ConnectionImpl::nextProtocol[abi:cxx11](int) const", ["int"]);
  it("warns that a std::string returned by value would move the arguments", () => {
    const r = lowerProbe(probe("uprobe", [emitOf({ v: arg(0, { as: "int", type: { kind: "int", bits: 32, signed: true } }) })]), [tagged], x86("libstdc++"));
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toEqual([AbiCode.ReturnMayMoveArguments]);
  });

  it("a declared return type settles it: by value moves this to rsi, by reference does not", () => {
    const byValue = { ...tagged, returnType: GNU_STRING };
    expect(lowered({ kind: "uThis" }, byValue, x86("libstdc++"))).toBe('reg("si")');
    expect(lowered(arg(0, { as: "int", type: { kind: "int", bits: 32, signed: true } }), byValue, x86("libstdc++"))).toBe('(int32)reg("dx")');
    const byRef = { ...tagged, returnType: `${GNU_STRING} const&` };
    expect(lowered({ kind: "uThis" }, byRef, x86("libstdc++"))).toBe('reg("di")');
  });

  it("AArch64 passes the result pointer in x8, so nothing moves and nothing is said", () => {
    const r = lowerProbe(probe("uprobe", [emitOf({ v: { kind: "uThis" } })]), [tagged], binary("aarch64", "libstdc++"));
    expect(r.diagnostics).toEqual([]);
  });
});

describe("declarations on the probe point", () => {
  const onSocketEvent = symbol("Envoy::Network::TcpListenerImpl::onSocketEvent(short)", ["short"]);
  const withAttach = (extra: { returns?: string; member?: boolean }, read: Expr, sym: AbiSymbol, kind: "uprobe" | "uretprobe" = "uprobe") => {
    const p = probe(kind, [emitOf({ v: read })]);
    const r = lowerProbe({ ...p, attach: { ...(p.attach as Extract<typeof p.attach, { binary: string }>), ...extra } }, [sym], x86("libstdc++"));
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
    return printIr((r.attachments[0].body[0] as Extract<Stmt, { kind: "emit" }>).fields[0].value);
  };
  const I16 = { as: "int", type: { kind: "int", bits: 16, signed: true } } as const;

  it("returns: a class returned by value moves this and the arguments by one register on x86-64", () => {
    expect(withAttach({}, arg(0, I16), onSocketEvent)).toBe('(int16)reg("si")');
    expect(withAttach({ returns: "absl::Status" }, arg(0, I16), onSocketEvent)).toBe('(int16)reg("dx")');
    expect(withAttach({ returns: "absl::Status" }, { kind: "uThis" }, onSocketEvent)).toBe('reg("si")');
    expect(withAttach({ returns: "bool" }, { kind: "uThis" }, onSocketEvent)).toBe('reg("di")');
  });

  it("returns: the layout of a returned string_view", () => {
    const f = symbol("A::B::name() const", []);
    expect(withAttach({ returns: "std::basic_string_view<char, std::char_traits<char> >" }, { kind: "uRet", read: SV_READ }, f, "uretprobe")).toBe('sized(reg("dx"), reg("ax"), 64)');
  });

  it("member: false declares a static member function", () => {
    expect(withAttach({ member: false }, arg(0, I16), onSocketEvent)).toBe('(int16)reg("di")');
  });

  it("the symbol's own knowledge wins over the declaration", () => {
    expect(withAttach({ member: false }, arg(0, I16), { ...onSocketEvent, isMember: true })).toBe('(int16)reg("si")');
  });
});
