import { describe, expect, it } from "vitest";
import { classifyParam, type ClassifyContext } from "../../../compiler/abi/classify.js";

const x86libcxx: ClassifyContext = { arch: "x86_64", stdlib: "libc++" };
const x86gnu: ClassifyContext = { arch: "x86_64", stdlib: "libstdc++" };
const arm: ClassifyContext = { arch: "aarch64", stdlib: "libstdc++" };
const cls = (t: string, ctx: ClassifyContext = x86gnu) => classifyParam(t, ctx).cls;

describe("classification of printed parameter types", () => {
  it("integers by width and sign; char's sign depends on the architecture", () => {
    expect(cls("int")).toEqual({ kind: "int", bits: 32, signed: true });
    expect(cls("unsigned int")).toEqual({ kind: "int", bits: 32, signed: false });
    expect(cls("short")).toEqual({ kind: "int", bits: 16, signed: true });
    expect(cls("bool")).toEqual({ kind: "int", bits: 8, signed: false });
    expect(cls("unsigned long")).toEqual({ kind: "int", bits: 64, signed: false });
    expect(cls("long long")).toEqual({ kind: "int", bits: 64, signed: true });
    expect(cls("char")).toEqual({ kind: "int", bits: 8, signed: true });
    expect(cls("char", arm)).toEqual({ kind: "int", bits: 8, signed: false });
    expect(cls("__int128")).toEqual({ kind: "int128" });
  });

  it("pointers and references are one word holding an address", () => {
    expect(cls("unsigned int*")).toMatchObject({ kind: "pointer", reference: false });
    expect(cls("Envoy::Network::ListenerFilterCallbacks&")).toMatchObject({ kind: "pointer", reference: true });
    expect(cls("void (*)(int, short, void*)")).toEqual({ kind: "pointer", target: null, reference: false });
    expect(cls("int Foo::*")).toEqual({ kind: "int", bits: 64, signed: true });
  });

  it("floating point goes to vector registers; long double differs per architecture", () => {
    expect(cls("double")).toEqual({ kind: "float", bits: 64 });
    expect(cls("float")).toEqual({ kind: "float", bits: 32 });
    expect(cls("long double")).toEqual({ kind: "x87" });
    expect(cls("long double", arm)).toEqual({ kind: "float", bits: 128 });
  });

  it("tells the three string_view layouts apart from the printed type", () => {
    const sv = (layout: string) => ({ kind: "aggregate16", what: { kind: "stringView", layout } });
    expect(cls("absl::string_view")).toEqual(sv("absl"));
    expect(cls("absl::lts_20230802::string_view")).toEqual(sv("absl"));
    expect(cls("absl::debian3::string_view")).toEqual(sv("absl"));
    expect(cls("std::__1::basic_string_view<char, std::__1::char_traits<char> >", x86libcxx)).toEqual(sv("libc++"));
    expect(cls("std::basic_string_view<char, std::char_traits<char> >", x86gnu)).toEqual(sv("libstdc++"));
    // libc++'s inline namespace decides even when the binary's stdlib is unknown.
    expect(cls("std::__1::basic_string_view<char, std::__1::char_traits<char> >", { arch: "x86_64", stdlib: "unknown" })).toEqual(sv("libc++"));
    expect(cls("std::string_view", x86libcxx)).toEqual(sv("libc++"));
    expect(cls("std::string_view", { arch: "x86_64", stdlib: "unknown" }).kind).toBe("unknown");
  });

  it("a non-char basic_string_view is a 16-byte aggregate but not a string", () => {
    expect(cls("std::basic_string_view<wchar_t, std::char_traits<wchar_t> >")).toMatchObject({ kind: "aggregate16", what: { kind: "other" } });
  });

  it("std::string by value is passed by invisible reference, with its layout", () => {
    expect(cls("std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >")).toEqual({
      kind: "indirect",
      what: { kind: "stdString", layout: "libstdc++" },
    });
    expect(cls("std::__1::basic_string<char, std::__1::char_traits<char>, std::__1::allocator<char> >", x86libcxx)).toEqual({
      kind: "indirect",
      what: { kind: "stdString", layout: "libc++" },
    });
    expect(cls("std::string")).toEqual({ kind: "indirect", what: { kind: "stdString", layout: "libstdc++-cow" } });
  });

  it("known non-trivial classes by value are indirect; known trivial ones take registers", () => {
    for (const t of [
      "std::shared_ptr<Envoy::Network::FilterChainInfo const>",
      "std::__1::unique_ptr<Foo, std::__1::default_delete<Foo> >",
      "std::function<void (unsigned int)>",
      "absl::Status",
    ]) {
      expect(cls(t).kind, t).toBe("indirect");
    }
    expect(cls("absl::Span<int const>").kind).toBe("aggregate16");
    expect(cls("void (Foo::*)(int)").kind).toBe("aggregate16");
    expect(cls("std::chrono::duration<long, std::ratio<1l, 1000000000l> >")).toEqual({ kind: "int", bits: 64, signed: true });
  });

  it("an unknown class by value is unknown with a reason that says how to declare it", () => {
    const c = cls("Envoy::Network::Address::Type");
    expect(c.kind).toBe("unknown");
    if (c.kind !== "unknown") throw new Error();
    expect(c.reason).toContain("'Envoy::Network::Address::Type' is passed by value");
    expect(c.reason).toContain("declaredClasses");
  });

  it("user declarations override the tables", () => {
    const ctx: ClassifyContext = { ...x86gnu, declaredClasses: { "Envoy::Network::Address::Type": { kind: "int", bits: 32, signed: false }, "my::Pair": { kind: "trivial16" } } };
    expect(cls("Envoy::Network::Address::Type", ctx)).toEqual({ kind: "int", bits: 32, signed: false });
    expect(cls("my::Pair", ctx).kind).toBe("aggregate16");
  });

  it("a local type (a lambda inside a function) is a class by value, not a parse failure", () => {
    const c = cls("v8::internal::Factory::NewStringFromUtf8(v8::base::Vector<unsigned char const> const&, unibrow::Utf8Variant)::{lambda()#1}");
    expect(c).toMatchObject({ kind: "unknown", className: expect.stringContaining("{lambda()#1}") });
    expect(cls("A::f(int)::{lambda()#1} const&")).toMatchObject({ kind: "pointer", reference: true });
  });

  it("an unparsable type is unknown, not a crash", () => {
    expect(cls("foo<bar").kind).toBe("unknown");
  });
});
