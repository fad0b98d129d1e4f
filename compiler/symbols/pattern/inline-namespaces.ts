// Inline namespaces are transparent in patterns: `std::string_view` finds libc++'s
// `std::__1::basic_string_view`, `absl::string_view` finds `absl::lts_20230125::string_view`.
// A rule is `parent::…::name` (the name may use `*`), or a bare `name` that is inline anywhere.
import { PatternError } from "./pattern-error.js";

export const DEFAULT_INLINE_NAMESPACES: readonly string[] = ["std::__1", "std::__2", "std::__u", "std::__cxx11", "absl::lts_*", "absl::debian*"];

/**
 * Names the demangler may itself flag as inline namespaces wherever they appear (its SymbolView
 * sets `inlineNamespace`). A byte-level prefilter must treat these as possibly skippable too.
 */
const FLAGGED_BY_DEMANGLER = /^(__|debian|lts_)/;

interface Rule {
  parents: string[];
  name: RegExp;
}

export class InlineNamespaces {
  private readonly rules: Rule[];
  /** The rules as given, for cache keys and messages. */
  readonly spelled: readonly string[];

  /** Any name that some rule or the demangler's flag could make inline, whatever its parents. */
  private readonly anyInlineName: RegExp;

  constructor(extra: readonly string[] = []) {
    this.spelled = [...DEFAULT_INLINE_NAMESPACES, ...extra];
    this.rules = this.spelled.map(parseRule);
    this.anyInlineName = new RegExp([FLAGGED_BY_DEMANGLER, ...this.rules.map((r) => r.name)].map((r) => `(?:${r.source})`).join("|"), "s");
  }

  /**
   * A cheap first test for byte-level scans, which would otherwise have to spell out every parent
   * for each component: false when no rule could make `name` inline, wherever it stands.
   */
  couldBeInlineName(name: string): boolean {
    return this.anyInlineName.test(name);
  }

  /** Could a component called `name` be skipped as inline, by these rules or by the demangler's flag? */
  mayBeInline(parents: readonly string[], name: string): boolean {
    return FLAGGED_BY_DEMANGLER.test(name) || this.isInline(parents, name);
  }

  /** Is `name`, directly inside the namespaces `parents` (outermost first), an inline namespace? */
  isInline(parents: readonly string[], name: string): boolean {
    for (const r of this.rules) {
      if (!r.name.test(name)) continue;
      if (r.parents.length > parents.length) continue;
      let ok = true;
      for (let k = 1; k <= r.parents.length && ok; k++) ok = r.parents[r.parents.length - k] === parents[parents.length - k];
      if (ok) return true;
    }
    return false;
  }
}

function parseRule(text: string): Rule {
  const parts = text.split("::");
  parts.forEach((p, k) => {
    if (!/^[A-Za-z_$*][A-Za-z0-9_$*]*$/.test(p)) {
      const column = parts.slice(0, k).join("::").length + (k > 0 ? 3 : 1);
      throw new PatternError("PATTERN_BAD_INLINE_NS", `inline namespace '${text}' must be names joined by '::'`, text, column);
    }
  });
  const name = parts.pop()!;
  if (parts.some((p) => p.includes("*"))) {
    throw new PatternError("PATTERN_BAD_INLINE_NS", `only the last name of inline namespace '${text}' may use '*'`, text, 1);
  }
  return { parents: parts, name: globToRegExp(name) };
}

/** `*` matches any run of characters; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split("*").map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "s");
}
