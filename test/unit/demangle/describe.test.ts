// The flattened SymbolView other stages match on: path segments with kinds, printed parameters,
// enclosing-function parameters for local entities, clone suffixes, special names.
import { describe as group, expect, it } from "vitest";
import { demangle, describe } from "../../../compiler/symbols/demangle/index.js";

group("describe", () => {
  it("flattens a member function", () => {
    const v = describe("_ZN5Envoy7Network15TcpListenerImpl13onSocketEventEs")!;
    expect(v.kind).toBe("function");
    expect(v.demangled).toBe("Envoy::Network::TcpListenerImpl::onSocketEvent(short)");
    expect(v.path.map((s) => s.name)).toEqual(["Envoy", "Network", "TcpListenerImpl", "onSocketEvent"]);
    expect(v.path.every((s) => s.kind === "name")).toBe(true);
    expect(v.params).toEqual(["short"]);
    expect(v.qualifiers).toBe("");
    expect(v.cloneSuffixes).toEqual([]);
  });

  it("keeps each parameter exactly as c++filt prints it", () => {
    const v = describe("_Z1fPFviERA5_iM1AKFvvERKSt6vectorIiSaIiEE")!;
    expect(v.params).toEqual(["void (*)(int)", "int (&) [5]", "void (A::*)() const", "std::vector<int, std::allocator<int> > const&"]);
    expect(describe("_Z1fv")!.params).toEqual([]);
  });

  it("gives clang's $_N lambda and the enclosing function's parameters", () => {
    const v = describe("_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseEN3$_18__invokeEisPv")!;
    expect(v.demangled).toBe("Envoy::Event::FileEventImpl::assignEvents(unsigned int, event_base*)::$_1::__invoke(int, short, void*)");
    expect(v.path.map((s) => [s.kind, s.name])).toEqual([
      ["name", "Envoy"],
      ["name", "Event"],
      ["name", "FileEventImpl"],
      ["name", "assignEvents"],
      ["lambda", "$_1"],
      ["name", "__invoke"],
    ]);
    expect(v.path[3]!.functionParams).toEqual(["unsigned int", "event_base*"]);
    expect(v.params).toEqual(["int", "short", "void*"]);
  });

  it("gives GCC's {lambda(…)#N} as a lambda segment and const as the qualifier", () => {
    const v = describe("_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseENKUlisPvE_clEisS4_")!;
    const lambda = v.path[4]!;
    expect(lambda).toEqual({ kind: "lambda", name: "{lambda(int, short, void*)#1}" });
    expect(v.path[5]).toEqual({ kind: "operator", name: "operator()" });
    expect(v.qualifiers).toBe(" const");
  });

  it("flags inline namespaces and keeps template arguments with their segment", () => {
    const v = describe("_ZNSt3__16vectorIiNS_9allocatorIiEEE9push_backEOi")!;
    expect(v.path[0]).toEqual({ kind: "name", name: "std" });
    expect(v.path[1]).toEqual({ kind: "name", name: "__1", inlineNamespace: true });
    expect(v.path[2]).toEqual({ kind: "name", name: "vector", templateArgs: "<int, std::__1::allocator<int> >" });
    expect(v.params).toEqual(["int&&"]);
    const cxx11 = describe("_ZNKSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE4findEPKcmm")!;
    expect(cxx11.path[1]).toMatchObject({ name: "__cxx11", inlineNamespace: true });
    expect(describe("_ZN4absl12lts_202301238StrSplitEv")!.path[1]).toMatchObject({ name: "lts_20230123", inlineNamespace: true });
  });

  it("reports constructors, destructors, operators, conversions, ABI tags, anonymous namespaces", () => {
    expect(describe("_ZN1AC2Ev")!.path[1]).toEqual({ kind: "ctor", name: "A" });
    expect(describe("_ZN1AD0Ev")!.path[1]).toEqual({ kind: "dtor", name: "~A" });
    expect(describe("_ZN1AlsEi")!.path[1]).toEqual({ kind: "operator", name: "operator<<" });
    expect(describe("_ZN1AcviEv")!.path[1]).toEqual({ kind: "conversion", name: "operator int" });
    expect(describe("_ZN1A3fooB5cxx11Ev")!.path[1]).toEqual({ kind: "name", name: "foo", abiTags: ["cxx11"] });
    expect(describe("_ZN12_GLOBAL__N_13fooEv")!.path[0]).toEqual({ kind: "anonymous-namespace", name: "(anonymous namespace)" });
    expect(describe("_ZN1AUt_E")!.path[1]).toEqual({ kind: "unnamed", name: "{unnamed type#1}" });
  });

  it("gives template functions their return type and resolved parameters", () => {
    const v = describe("_Z1fIJidEEvDpT_")!;
    expect(v.returnType).toBe("void");
    expect(v.params).toEqual(["int", "double"]);
    expect(v.path[0]).toEqual({ kind: "name", name: "f", templateArgs: "<int, double>" });
  });

  it("collects clone suffixes in order", () => {
    const v = describe("_ZN1A1fEv.constprop.0.isra.0")!;
    expect(v.cloneSuffixes).toEqual([".constprop.0", ".isra.0"]);
    expect(v.demangled).toBe("A::f() [clone .constprop.0] [clone .isra.0]");
    expect(describe("_ZN1A1fEv.cold")!.cloneSuffixes).toEqual([".cold"]);
  });

  it("describes special names with their target's path", () => {
    expect(describe("_ZTV1A")).toMatchObject({ kind: "special", special: "vtable", params: null, path: [{ name: "A" }] });
    expect(describe("_ZTS1A")).toMatchObject({ special: "typeinfo name" });
    expect(describe("_ZGVZ1fvE1x")).toMatchObject({ special: "guard variable", path: [{ name: "f", functionParams: [] }, { name: "x" }] });
    expect(describe("_ZThn8_N1A1fEi")).toMatchObject({ special: "thunk", params: ["int"], path: [{ name: "A" }, { name: "f" }] });
    expect(describe("_ZTv0_n24_N1A1fEv")).toMatchObject({ special: "virtual thunk" });
    expect(describe("_ZTch0_h8_N1A1fEv")).toMatchObject({ special: "covariant return thunk" });
  });

  it("describes variables as data", () => {
    expect(describe("_ZN1A1xE")).toMatchObject({ kind: "data", params: null, path: [{ name: "A" }, { name: "x" }] });
  });

  it("returns null for invalid names, never a partial view", () => {
    expect(describe("_ZN1A")).toBeNull();
    expect(describe("foo")).toBeNull();
    expect(describe("_Z1fT_")).toBeNull();
  });

  it("agrees with demangle on the text", () => {
    for (const n of ["_ZN1A1fEv", "_ZTV1A", "_Z1fIiEvT_", "_ZZ4mainENKUlvE_clEv"]) expect(describe(n)!.demangled).toBe(demangle(n));
  });
});
