// The structural check on raw mangled bytes: decides only what the mangling settles.
import { describe, expect, it } from "vitest";
import { InlineNamespaces, parsePattern } from "../../../compiler/symbols/pattern/index.js";
import { fixedComponentCount, leadingNames, mayStartWith } from "../../../compiler/symbols/pattern/mangled-prefix.js";

function may(pattern: string, mangled: string, inlineNs: string[] = []): boolean {
  const leading = leadingNames(parsePattern(pattern)).map((n) => Buffer.from(n));
  const table = Buffer.from(`\0junk\0${mangled}\0`);
  return mayStartWith(table, 6, leading, new InlineNamespaces(inlineNs));
}

/** `may`, also told how many components the pattern's matches have (what the matcher passes). */
function mayCounted(pattern: string, mangled: string, inlineNs: string[] = []): boolean {
  const parsed = parsePattern(pattern);
  const leading = leadingNames(parsed).map((n) => Buffer.from(n));
  const table = Buffer.from(`\0junk\0${mangled}\0`);
  return mayStartWith(table, 6, leading, new InlineNamespaces(inlineNs), fixedComponentCount(parsed));
}

describe("leadingNames", () => {
  it("stops at the first component it cannot compare byte for byte", () => {
    expect(leadingNames(parsePattern("v8::internal::Heap::*"))).toEqual(["v8", "internal", "Heap"]);
    expect(leadingNames(parsePattern("Envoy::**::onAccept"))).toEqual(["Envoy"]);
    expect(leadingNames(parsePattern("A::B<int>::c"))).toEqual(["A", "B"]);
    expect(leadingNames(parsePattern("A::operator<<"))).toEqual(["A"]);
    expect(leadingNames(parsePattern("A::~A"))).toEqual(["A"]);
    expect(leadingNames(parsePattern("std::vector::push_back"))).toEqual([]);
    expect(leadingNames(parsePattern("*::f"))).toEqual([]);
  });
});

describe("mayStartWith", () => {
  it("rejects names whose leading source names differ", () => {
    expect(may("v8::internal::Heap::*", "_ZN2v88internal4Heap7ScavengeEv")).toBe(true);
    expect(may("v8::internal::Heap::*", "_ZN2v88internal7Factory3NewEPNS0_4HeapE")).toBe(false);
    expect(may("v8::internal::Heap::*", "_ZN4node4HeapEv")).toBe(false);
    expect(may("v8::internal::Heap::*", "_ZNK2v88internal4Heap4sizeEv")).toBe(true);
    expect(may("Envoy::scaleBy", "_ZN5EnvoyL7scaleByEii.constprop.0")).toBe(true);
    expect(may("main", "_Z4mainv")).toBe(true);
    expect(may("main", "_Z5helpv")).toBe(false);
  });

  it("skips inline namespaces the pattern leaves out", () => {
    expect(may("absl::string_view::find", "_ZNK4absl12lts_2023012511string_view4findEcm")).toBe(true);
    expect(may("absl::string_view::find", "_ZNK4absl7debian311string_view4findEcm")).toBe(true);
    expect(may("absl::string_view::find", "_ZNK4absl7ubuntu211string_view4findEcm")).toBe(false);
    expect(may("absl::string_view::find", "_ZNK4absl7ubuntu211string_view4findEcm", ["absl::ubuntu2"])).toBe(true);
    // Names the demangler flags as inline on its own are skippable whatever the rules say.
    expect(may("Envoy::Network::f", "_ZN5Envoy3__17Network1fEv")).toBe(true);
  });

  it("says maybe for forms it does not read: local names, templates, ABI tags, C names, special names", () => {
    expect(may("Envoy::Event::FileEventImpl::assignEvents::{lambda}", "_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseEN3$_08__invokeEisPv")).toBe(true);
    expect(may("Envoy::Event::FileEventImpl::assignEvents::{lambda}", "_ZZN5Envoy5Event9TimerImpl12assignEventsEvENKUlvE_clEv")).toBe(false);
    expect(may("A::B::c", "_ZN1AIiE1B1cEv")).toBe(true);
    expect(may("A::B::c", "_ZN1AB5cxx111B1cEv")).toBe(true);
    expect(may("A::B::c", "c_function")).toBe(true);
    expect(may("A::B::c", "_ZThn8_N1A1B1cEv")).toBe(true);
    expect(() => may("A::B::c", "_ZN1")).not.toThrow(); // truncated: whatever it says, the demangler rejects it
    expect(may("A::B::c", "_ZN999999999999x")).toBe(true);
  });

  it("rejects names that start in std (`St`, `Sa`, `Ss`…) unless std is declared inline", () => {
    expect(may("A::B::c", "_ZNSt6vectorIiSaIiEE9push_backEOi")).toBe(false);
    expect(may("A::B::c", "_ZNKSs4sizeEv")).toBe(false);
    expect(may("A::B::c", "_ZSt4moveIRiEONSt16remove_referenceIT_E4typeEOS2_")).toBe(false);
    expect(may("A::B::c", "_ZZNSt6vectorIiSaIiEE9push_backEOiE1x")).toBe(false);
    expect(may("vector::push_back", "_ZNSt6vectorIiSaIiEE9push_backEOi", ["std"])).toBe(true);
  });

  it("given the pattern's component count, rejects names with more components, C names included", () => {
    expect(fixedComponentCount(parsePattern("v8::internal::Heap::*"))).toBe(4);
    expect(fixedComponentCount(parsePattern("v8::**::Heap"))).toBeNull();
    expect(fixedComponentCount(parsePattern("A::f::{lambda}"))).toBeNull();
    expect(fixedComponentCount(parsePattern("_ZN1A1fEv"))).toBeNull();
    expect(mayCounted("v8::internal::Heap::*", "_ZN2v88internal4Heap7ScavengeEv")).toBe(true);
    expect(mayCounted("v8::internal::Heap::*", "_ZN2v88internal4Heap19ExternalStringTable6VerifyEv")).toBe(false);
    // A local entity adds at least one component to its enclosing function's.
    expect(mayCounted("v8::internal::Heap::*", "_ZZN2v88internal4Heap5VisitEvEN1V5visitEv")).toBe(false);
    expect(mayCounted("v8::internal::Heap::*::*", "_ZZN2v88internal4Heap5VisitEvEN1V5visitEv")).toBe(true);
    // Inline namespaces the pattern leaves out do not count, nor may-be-inline ones.
    expect(mayCounted("absl::string_view::find", "_ZNK4absl12lts_2023012511string_view4findEcm")).toBe(true);
    expect(mayCounted("Envoy::f", "_ZN5Envoy3__11fEv")).toBe(true);
    expect(mayCounted("Envoy::f", "_ZN5Envoy3Foo1fEv")).toBe(false);
    // Unread forms after the leading names stay maybe.
    expect(mayCounted("v8::internal::Heap::*", "_ZN2v88internal4Heap4InnerIiE1fEv")).toBe(true);
    expect(mayCounted("A::B", "_ZN1AB5cxx111BEv")).toBe(true);
    expect(mayCounted("v8::internal::Heap::*", "_GLOBAL__sub_I__ZN2v88internal4Heap3fooEv")).toBe(false);
    expect(mayCounted("main", "main")).toBe(true);
    expect(mayCounted("main", "main.cold")).toBe(true);
  });
});

describe("InlineNamespaces.couldBeInlineName", () => {
  it("is true for every name some rule or the demangler's flag could make inline, false otherwise", () => {
    const inline = new InlineNamespaces(["foo::ver*"]);
    for (const name of ["__1", "__cxx11", "lts_20230125", "debian3", "ver2", "version"]) expect(inline.couldBeInlineName(name)).toBe(true);
    for (const name of ["Heap", "internal", "v2er", "std", "lts"]) expect(inline.couldBeInlineName(name)).toBe(false);
    // The quick test never says no where the full rule says yes.
    expect(inline.isInline(["foo"], "ver2")).toBe(true);
    expect(inline.isInline(["bar"], "ver2")).toBe(false);
  });

  it("lets a counted pattern skip an extra inline namespace only where a rule allows it", () => {
    expect(mayCounted("foo::f", "_ZN3foo4ver21fEv", ["foo::ver*"])).toBe(true);
    expect(mayCounted("foo::f", "_ZN3foo4ver21fEv")).toBe(false);
    expect(mayCounted("foo::*", "_ZN3foo4ver21gEv", ["foo::ver*"])).toBe(true);
    expect(mayCounted("foo::*", "_ZN3foo4ver21gEv")).toBe(false);
  });
});
