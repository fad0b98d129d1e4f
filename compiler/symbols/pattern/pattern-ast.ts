// What a parsed pattern says, before it is compiled into a matcher.

export type ComponentPattern =
  /** `**`: any number (zero included) of namespace or class components. */
  | { kind: "any-depth"; column: number }
  /** `{lambda}`: any lambda (GCC `{lambda(…)#N}`, clang `$_N`); last in a pattern, its static invoker. */
  | { kind: "lambda"; column: number }
  | {
      kind: "name";
      /** The name as written, without template arguments; may contain `*`. Operators keep their spelling (`operator<<`). */
      text: string;
      /** Template arguments as written with their brackets (`<int>`), or null when the pattern leaves them out. */
      templateArgs: string | null;
      /** `operator…` and conversion names: `*` in them is the operator, not a wildcard. */
      isOperator: boolean;
      column: number;
    };

export interface ParsedPattern {
  text: string;
  /** A pattern that is itself a mangled name (`_ZN…`) matches exactly that symbol. */
  mangled: string | null;
  path: ComponentPattern[];
  /** Parameter types as written, or null when the pattern has no parameter list (every overload). */
  params: string[] | null;
  /** Trailing member-function qualifiers (`const`, `&&`…), normalised; null when not given. */
  qualifiers: string | null;
}
