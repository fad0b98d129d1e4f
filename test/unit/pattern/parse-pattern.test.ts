// Pattern syntax: what parses into what, and every malformed pattern's code and column.
import { describe, expect, it } from "vitest";
import { parsePattern, PatternError, type PatternErrorCode } from "../../../compiler/symbols/pattern/index.js";

function names(text: string): string[] {
  return parsePattern(text).path.map((c) => (c.kind === "name" ? c.text + (c.templateArgs ?? "") : c.kind === "any-depth" ? "**" : "{lambda}"));
}

function expectError(text: string, code: PatternErrorCode, column: number): PatternError {
  let caught: unknown;
  try {
    parsePattern(text);
  } catch (err) {
    caught = err;
  }
  expect(caught, `'${text}' should not parse`).toBeInstanceOf(PatternError);
  const e = caught as PatternError;
  expect({ code: e.code, column: e.column }).toEqual({ code, column });
  expect(e.message).toContain(`at column ${column}`);
  return e;
}

describe("parsePattern", () => {
  it("splits qualified names into components", () => {
    expect(names("Envoy::Network::TcpListenerImpl::onSocketEvent")).toEqual(["Envoy", "Network", "TcpListenerImpl", "onSocketEvent"]);
    expect(names("::main")).toEqual(["main"]);
    expect(names("  Ns :: Class :: method  ")).toEqual(["Ns", "Class", "method"]);
    expect(parsePattern("Ns::method").params).toBeNull();
  });

  it("reads wildcards, any-depth components, lambdas, ctors and dtors", () => {
    expect(names("Envoy::**::onAccept")).toEqual(["Envoy", "**", "onAccept"]);
    expect(names("*Listener*::on*")).toEqual(["*Listener*", "on*"]);
    expect(names("Envoy::Event::FileEventImpl::assignEvents::{lambda}")).toEqual(["Envoy", "Event", "FileEventImpl", "assignEvents", "{lambda}"]);
    expect(names("A::{ lambda }::operator()")).toEqual(["A", "{lambda}", "operator()"]);
    expect(names("Ns::Class::~Class")).toEqual(["Ns", "Class", "~Class"]);
    expect(names("(anonymous namespace)::helper")).toEqual(["(anonymous namespace)", "helper"]);
    expect(names("Envoy::**")).toEqual(["Envoy", "**"]);
  });

  it("reads operators, including ones that look like wildcards or parameter lists", () => {
    expect(names("std::ostream::operator<<")).toEqual(["std", "ostream", "operator<<"]);
    expect(names("Foo::operator()(int)")).toEqual(["Foo", "operator()"]);
    expect(parsePattern("Foo::operator()(int)").params).toEqual(["int"]);
    expect(names("Foo::operator*")).toEqual(["Foo", "operator*"]);
    expect(names("Foo::operator new[]")).toEqual(["Foo", "operator new[]"]);
    expect(names("Foo::operator bool() const")).toEqual(["Foo", "operator bool"]);
    expect(names("Foo::operator <=> ")).toEqual(["Foo", "operator<=>"]);
  });

  it("reads template arguments of a component", () => {
    expect(names("Envoy::Stats::Metric<int>::name")).toEqual(["Envoy", "Stats", "Metric<int>", "name"]);
    expect(names("A::B<std::map<int, C<D>>, 3>::f")).toEqual(["A", "B<std::map<int, C<D>>, 3>", "f"]);
  });

  it("reads a parameter list and qualifiers", () => {
    const p = parsePattern("Ns::Class::method(absl::string_view, std::map<int, char*> const&, void (*)(int))");
    expect(p.params).toEqual(["absl::string_view", "std::map<int, char*> const&", "void (*)(int)"]);
    expect(parsePattern("f()").params).toEqual([]);
    expect(parsePattern("f(void)").params).toEqual([]);
    expect(parsePattern("A::f() const").qualifiers).toBe("const");
    expect(parsePattern("A::f() && const").qualifiers).toBe("const &&");
    expect(parsePattern("A::f(int)").qualifiers).toBeNull();
  });

  it("takes a mangled name as an exact symbol", () => {
    const p = parsePattern("_ZN5Envoy7Network15TcpListenerImpl13onSocketEventEs");
    expect(p.mangled).toBe("_ZN5Envoy7Network15TcpListenerImpl13onSocketEventEs");
    expect(p.path).toEqual([]);
  });

  it("rejects malformed patterns with a code and the column", () => {
    expectError("", "PATTERN_EMPTY", 1);
    expectError("   ", "PATTERN_EMPTY", 1);
    expectError("Ns::::f", "PATTERN_EMPTY_COMPONENT", 5);
    expectError("Ns::", "PATTERN_EMPTY_COMPONENT", 5);
    expectError("Ns::f::(int)", "PATTERN_EMPTY_COMPONENT", 8);
    expectError("::", "PATTERN_EMPTY_COMPONENT", 3);
    expectError("Ns::f!", "PATTERN_BAD_CHAR", 6);
    expectError("Ns::f g", "PATTERN_BAD_CHAR", 7);
    expectError("Ns::#f", "PATTERN_BAD_CHAR", 5);
    expectError("Ns::f(int", "PATTERN_UNBALANCED", 6);
    expectError("Ns::f(int>)", "PATTERN_UNBALANCED", 10);
    expectError("Ns::B<int::f", "PATTERN_UNBALANCED", 6);
    expectError("Ns::f(int) x", "PATTERN_TRAILING", 12);
    expectError("Ns::f(int)(char)", "PATTERN_TRAILING", 11);
    expectError("Ns::a**b", "PATTERN_BAD_WILDCARD", 6);
    expectError("Ns::***", "PATTERN_BAD_WILDCARD", 5);
    expectError("Ns::**::**::f", "PATTERN_BAD_WILDCARD", 9);
    expectError("{lambda}::f", "PATTERN_BAD_LAMBDA", 1);
    expectError("Ns::f::{lamda}", "PATTERN_BAD_LAMBDA", 8);
    expectError("Ns::f::{lambda", "PATTERN_UNBALANCED", 8);
    expectError("Ns::operator", "PATTERN_BAD_OPERATOR", 13);
    expectError("Ns::f(int,)", "PATTERN_BAD_CHAR", 11);
  });
});
