// Parameter types compare equal when they name the same type, however they are spelled.
import { describe, expect, it } from "vitest";
import { InlineNamespaces, normalizeType, PatternError } from "../../../compiler/symbols/pattern/index.js";

const inline = new InlineNamespaces(["absl::ubuntu2"]);
const same = (a: string, b: string) => expect(normalizeType(a, inline)).toBe(normalizeType(b, inline));
const differ = (a: string, b: string) => expect(normalizeType(a, inline)).not.toBe(normalizeType(b, inline));

describe("normalizeType", () => {
  it("ignores spacing", () => {
    same("std::map<int, char* >", "std::map<int,char*>");
    same("unsigned   int", "unsigned int");
    same("void (*)(int, short, void*)", "void(*)(int,short,void*)");
    differ("unsigned int", "unsignedint");
  });

  it("drops inline namespaces: libc++, libstdc++, absl LTS and configured ones", () => {
    same("std::__1::basic_string_view<char, std::__1::char_traits<char> >", "std::string_view");
    same("std::basic_string_view<char, std::char_traits<char> >", "std::string_view");
    same("std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&", "const std::string&");
    same("absl::lts_20230125::string_view", "absl::string_view");
    same("absl::debian3::string_view", "absl::string_view");
    same("absl::ubuntu2::string_view", "absl::string_view");
    differ("absl::ubuntu3::string_view", "absl::string_view");
    differ("foo::__1::bar", "foo::bar"); // __1 is only inline inside std
    expect(normalizeType("std::__1::vector<std::__1::unique_ptr<Foo>>", inline)).toBe("std::vector<std::unique_ptr<Foo>>");
  });

  it("puts const and volatile where c++filt does", () => {
    same("const char*", "char const*");
    same("const Envoy::Network::Address::Instance&", "Envoy::Network::Address::Instance const&");
    same("std::vector<const Foo*>", "std::vector<Foo const*>");
    same("const std::map<int, int>&", "std::map<int, int> const&");
    same("volatile unsigned int*", "unsigned int volatile*");
    differ("char* const", "const char*");
  });

  it("maps LP64 typedefs and builtin spellings to what mangled names print", () => {
    same("uint32_t", "unsigned int");
    same("unsigned", "unsigned int");
    same("size_t", "unsigned long");
    same("std::size_t", "unsigned long");
    same("int64_t", "long");
    same("long int", "long");
    same("long unsigned int", "unsigned long");
    differ("uint32_t", "unsigned long");
    expect(normalizeType("Envoy::uint32_t", inline)).toBe("Envoy::uint32_t"); // someone else's typedef
  });

  it("rejects a malformed inline namespace rule", () => {
    expect(() => new InlineNamespaces(["absl::"])).toThrow(PatternError);
    expect(() => new InlineNamespaces(["a b"])).toThrow(expect.objectContaining({ code: "PATTERN_BAD_INLINE_NS" }));
    expect(() => new InlineNamespaces(["ab*::c"])).toThrow(expect.objectContaining({ code: "PATTERN_BAD_INLINE_NS" }));
  });

  it("knows inline namespaces by their parents", () => {
    const rules = new InlineNamespaces(["Envoy::Network::v2", "debian3"]);
    expect(rules.isInline(["std"], "__1")).toBe(true);
    expect(rules.isInline(["absl"], "lts_20240722")).toBe(true);
    expect(rules.isInline(["Envoy", "Network"], "v2")).toBe(true);
    expect(rules.isInline(["Network"], "v2")).toBe(false);
    expect(rules.isInline(["anything"], "debian3")).toBe(true);
    expect(rules.isInline([], "__1")).toBe(false);
  });
});
