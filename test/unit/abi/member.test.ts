import { describe, expect, it } from "vitest";
import { classEvidenceNeedles, collectClassNames, decideMember, enclosingMangledScope, pathFromDemangled } from "../../../compiler/abi/member.js";
import { detectAbslStringView, lowerProbe } from "../../../compiler/abi/index.js";
import type { SymbolView } from "../../../compiler/symbols/demangle/view.js";
import { arg, binary, emitOf, probe, symbol } from "./ir-builders.js";

const decide = (demangled: string, facts: Parameters<typeof decideMember>[2] = { readsThis: false }) => {
  const { path, qualifiers } = pathFromDemangled(demangled);
  return decideMember(path, qualifiers, facts);
};

describe("pathFromDemangled", () => {
  it("splits the qualified name and keeps qualifiers", () => {
    const { path, qualifiers } = pathFromDemangled("Envoy::Network::ConnectionImpl::readDisable(bool) const");
    expect(path.map((s) => s.name)).toEqual(["Envoy", "Network", "ConnectionImpl", "readDisable"]);
    expect(qualifiers.trim()).toBe("const");
  });

  it("recognises lambdas, ctors, dtors, inline namespaces and template return types", () => {
    const gccLambda = pathFromDemangled("Envoy::Event::FileEventImpl::assignEvents(unsigned int, event_base*)::{lambda(int, short, void*)#1}::_FUN(int, short, void*)").path;
    expect(gccLambda.at(-2)?.kind).toBe("lambda");
    expect(gccLambda.at(-1)?.name).toBe("_FUN");
    expect(pathFromDemangled("Envoy::Network::ConnectionImpl::ConnectionImpl(int)").path.at(-1)?.kind).toBe("ctor");
    expect(pathFromDemangled("Envoy::Network::ConnectionImpl::~ConnectionImpl()").path.at(-1)?.kind).toBe("dtor");
    expect(pathFromDemangled("absl::debian3::numbers_internal::safe_strto32_base(absl::debian3::string_view, int*, int)").path[1]).toMatchObject({ name: "debian3", inlineNamespace: true });
    const tmpl = pathFromDemangled("bool absl::numbers_internal::safe_strtoi_base<int>(absl::string_view, int*, int)").path;
    expect(tmpl.map((s) => s.name)).toEqual(["absl", "numbers_internal", "safe_strtoi_base"]);
    expect(tmpl.at(-1)?.templateArgs).toBe("<int>");
  });
});

describe("the member-function rule", () => {
  it("declarations win over everything", () => {
    expect(decide("envoy::ns::f(int) const", { declared: false, readsThis: true })).toMatchObject({ member: false, reason: "declared" });
  });
  it("qualifiers and constructors prove a member", () => {
    expect(decide("lower::case::f(int) const")).toMatchObject({ member: true, reason: "qualifiers" });
    expect(decide("a::B::B(int)")).toMatchObject({ member: true, reason: "ctor-dtor" });
  });
  it("static lambda invokers take no this; operator() of a lambda does", () => {
    expect(decide("A::B::f()::{lambda(int, short, void*)#1}::_FUN(int, short, void*)")).toMatchObject({ member: false, reason: "static-invoker" });
    expect(decide("A::B::f()::$_1::__invoke(int, short, void*)")).toMatchObject({ member: false, reason: "static-invoker" });
    expect(decide("A::B::f()::{lambda(int)#1}::operator()(int)")).toMatchObject({ member: true, reason: "structure" });
  });
  it("global functions, inline and anonymous namespaces are free; template instances are classes", () => {
    expect(decide("event_base_loop(event_base*, int)")).toMatchObject({ member: false, reason: "structure" });
    expect(decide("(anonymous namespace)::helper(int)")).toMatchObject({ member: false, reason: "structure" });
    expect(decide("Foo<int>::get(int)")).toMatchObject({ member: true, reason: "structure" });
  });
  it("known classes and namespaces decide; reading this asserts a member; otherwise the case of the name", () => {
    expect(decide("Envoy::Network::listen(int)", { readsThis: false, knownNamespaces: new Set(["Envoy::Network"]) })).toMatchObject({ member: false, reason: "known" });
    expect(decide("envoy::impl::f(int)", { readsThis: false, knownClasses: new Set(["envoy::impl"]) })).toMatchObject({ member: true, reason: "known" });
    expect(decide("envoy::impl::f(int)", { readsThis: true })).toMatchObject({ member: true, reason: "reads-this" });
    expect(decide("Envoy::StreamInfo::StreamInfoImpl::setFilterChainName(absl::string_view)")).toMatchObject({ member: true, reason: "guess", enclosing: "Envoy::StreamInfo::StreamInfoImpl" });
    expect(decide("absl::debian3::numbers_internal::safe_strto32_base(absl::debian3::string_view, int*, int)")).toMatchObject({
      member: false,
      reason: "guess",
      enclosing: "absl::numbers_internal",
    });
  });
});

describe("evidence from the binary", () => {
  const view = (v: Partial<SymbolView> & Pick<SymbolView, "path">): SymbolView => ({ demangled: "", kind: "function", params: [], cloneSuffixes: [], ...v });
  it("collectClassNames finds classes from ctors, const members and vtables", () => {
    const classes = collectClassNames([
      view({ path: [{ kind: "name", name: "Envoy" }, { kind: "name", name: "A" }, { kind: "ctor", name: "A" }] }),
      view({ path: [{ kind: "name", name: "Envoy" }, { kind: "name", name: "B" }, { kind: "name", name: "get" }], qualifiers: " const" }),
      view({ kind: "special", special: "vtable", params: null, path: [{ kind: "name", name: "std" }, { kind: "name", name: "__1", inlineNamespace: true }, { kind: "name", name: "C" }] }),
      view({ path: [{ kind: "name", name: "Envoy" }, { kind: "name", name: "Network" }, { kind: "name", name: "listen" }] }),
    ]);
    expect([...classes].sort()).toEqual(["Envoy::A", "Envoy::B", "std::C"]);
  });

  it("the mangled enclosing scope and the names that would prove it a class", () => {
    const m = "_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainNameEN4absl11string_viewE";
    expect(enclosingMangledScope(m)).toBe("5Envoy10StreamInfo14StreamInfoImpl");
    expect(classEvidenceNeedles(m)).toContain("_ZTVN5Envoy10StreamInfo14StreamInfoImplE");
    expect(enclosingMangledScope("_ZN4absl7debian316numbers_internal17safe_strto32_baseENS0_11string_viewEPii")).toBe("4absl7debian316numbers_internal");
    expect(enclosingMangledScope("_Z15event_base_loopP10event_basei")).toBeNull();
    expect(enclosingMangledScope("_ZNSt6vectorIiSaIiEE9push_backERKi")).toBeNull();
  });

  it("a vtable in the symbol table turns the guess into knowledge (no warning)", () => {
    const s = symbol("envoy::lower_case_class::f(absl::string_view)", ["absl::string_view"], { mangled: "_ZN5envoy16lower_case_class1fEN4absl11string_viewE" });
    const names = ["_ZTVN5envoy16lower_case_classE"];
    const bin = binary("x86_64", "libstdc++", { symbolTableContains: (n) => names.some((x) => x.includes(n)) });
    const r = lowerProbe(probe("uprobe", [emitOf({ v: arg(0, { as: "raw" }) })]), [s], bin);
    expect(r.diagnostics).toEqual([]);
    const ev = r.attachments[0].body[0];
    expect(ev.kind === "emit" && ev.fields[0].value).toEqual({ kind: "tuple", elements: [{ kind: "reg", name: "si" }, { kind: "reg", name: "dx" }] });
    // Without the evidence, the lower-case name is guessed a namespace and warned about.
    const guessed = lowerProbe(probe("uprobe", [emitOf({ v: arg(0, { as: "raw" }) })]), [s], binary("x86_64", "libstdc++"));
    expect(guessed.diagnostics.map((d) => d.category)).toEqual(["warning"]);
  });
});

describe("detectAbslStringView", () => {
  it("finds absl's class through inline namespaces and substitutions; std types are not it", () => {
    expect(detectAbslStringView(["_ZN4absl7debian316numbers_internal17safe_strto32_baseENS0_11string_viewEPii"])).toBe("class");
    expect(detectAbslStringView(["_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainNameEN4absl11string_viewE"])).toBe("class");
    expect(detectAbslStringView(["_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainNameESt17basic_string_viewIcSt11char_traitsIcEE"])).toBe("alias");
    expect(detectAbslStringView(["_ZN5Envoy1fENSt3__117basic_string_viewIcNS0_11char_traitsIcEEEE"])).toBe("alias");
  });
});

describe("clone suffixes in demangled text", () => {
  it("are not part of the name", () => {
    const { path, qualifiers } = pathFromDemangled("Envoy::X::Impl::f(int) const [clone .isra.0] [clone .cold]");
    expect(path.map((s) => s.name)).toEqual(["Envoy", "X", "Impl", "f"]);
    expect(qualifiers.trim()).toBe("const");
  });
});
