// Is absl::string_view absl's own class in this binary, or an alias of std::string_view? The class
// mangles as `N4absl11string_viewE`, with an inline namespace in between or compressed into a
// substitution (`_ZN4absl7debian316numbers_internal17safe_strto32_baseENS0_11string_viewEPii`);
// the std types mangle as `basic_string_view`, never `11string_viewE`. So a symbol that names absl
// and contains `11string_viewE` proves the class.
export function detectAbslStringView(mangledNames: Iterable<string>): "class" | "alias" {
  for (const name of mangledNames) if (name.includes("11string_viewE") && name.includes("4absl")) return "class";
  return "alias";
}
