import { describe, expect, it } from "vitest";
import { parseCType, printCType, CTypeParseError } from "../../../compiler/abi/ctype.js";

describe("parseCType", () => {
  it("parses builtins, including multi-word ones", () => {
    expect(parseCType("unsigned int")).toEqual({ kind: "builtin", name: "unsigned int", isConst: false });
    expect(parseCType("long double")).toEqual({ kind: "builtin", name: "long double", isConst: false });
    expect(parseCType("decltype(nullptr)")).toMatchObject({ kind: "builtin", name: "decltype(nullptr)" });
  });

  it("peels pointers, references and const in c++filt's order", () => {
    const t = parseCType("char const*");
    expect(t).toEqual({ kind: "pointer", pointee: { kind: "builtin", name: "char", isConst: true }, isConst: false });
    const r = parseCType("std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&");
    expect(r.kind).toBe("reference");
    if (r.kind !== "reference") throw new Error();
    expect(r.referee).toMatchObject({ kind: "named", isConst: true });
    expect(parseCType("Foo&&")).toMatchObject({ kind: "reference", rvalue: true });
    expect(parseCType("int* const")).toMatchObject({ kind: "pointer", isConst: true });
    expect(parseCType("unsigned int*")).toMatchObject({ kind: "pointer", pointee: { kind: "builtin", name: "unsigned int" } });
  });

  it("splits qualified names at top level only, keeping template arguments", () => {
    const t = parseCType("std::__1::basic_string_view<char, std::__1::char_traits<char> >");
    expect(t).toEqual({
      kind: "named",
      isConst: false,
      segments: [
        { name: "std", templateArgs: null },
        { name: "__1", templateArgs: null },
        { name: "basic_string_view", templateArgs: ["char", "std::__1::char_traits<char>"] },
      ],
    });
    expect(printCType(t)).toBe("std::__1::basic_string_view<char, std::__1::char_traits<char> >");
  });

  it("recognises function pointers, member function pointers and member data pointers", () => {
    expect(parseCType("void (*)(int, short, void*)").kind).toBe("functionPointer");
    expect(parseCType("void (Envoy::Foo::*)(int)").kind).toBe("memberFunctionPointer");
    expect(parseCType("void (Envoy::Foo::*)(int) const").kind).toBe("memberFunctionPointer");
    expect(parseCType("int Envoy::Foo::*").kind).toBe("memberDataPointer");
    expect(parseCType("void (&)(int)")).toMatchObject({ kind: "reference", referee: { kind: "function" } });
    // Trailing qualifiers belong to the member function, not to the pointer.
    expect(parseCType("void (Envoy::Foo::*)(int) const &").kind).toBe("memberFunctionPointer");
    expect(parseCType("void (**)(int)").kind).toBe("functionPointer");
    expect(parseCType("char* (*)(char const*, unsigned long)").kind).toBe("functionPointer");
    expect(parseCType("void (int)").kind).toBe("function");
    expect(parseCType("decltype(nullptr)*")).toMatchObject({ kind: "pointer", pointee: { kind: "builtin", name: "decltype(nullptr)" } });
  });

  it("keeps anonymous namespaces and lambdas as name components", () => {
    const t = parseCType("(anonymous namespace)::Config const&");
    expect(t).toMatchObject({ kind: "reference", referee: { kind: "named", segments: [{ name: "(anonymous namespace)" }, { name: "Config" }] } });
  });

  it("rejects text it cannot parse instead of guessing", () => {
    expect(() => parseCType("")).toThrow(CTypeParseError);
    expect(() => parseCType("foo<bar")).toThrow(CTypeParseError);
  });
});
