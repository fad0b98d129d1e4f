// The options every command that resolves C++ patterns takes, spelled one way everywhere:
// `--inline-namespace NS` (or `--inline-ns NS`; repeatable, or comma-separated) and
// `--no-symbol-cache` (or `--no-cache`).

/** parseArgs declarations for the shared symbol options (spread into a command's `options`). */
export const SYMBOL_OPTIONS = {
  "inline-namespace": { type: "string", multiple: true },
  "inline-ns": { type: "string", multiple: true },
  "no-symbol-cache": { type: "boolean" },
  "no-cache": { type: "boolean" },
} as const;

/** The help lines for them, aligned like the rest of the commands' help. */
export const SYMBOL_OPTIONS_HELP = `  --inline-namespace NS     extra inline namespace for patterns, e.g. absl::debian3 (repeatable or
                            comma-separated; also --inline-ns)
  --no-symbol-cache         do not read or write the resolver's cache (also --no-cache)`;

interface SymbolOptionValues {
  "inline-namespace"?: string[];
  "inline-ns"?: string[];
  "no-symbol-cache"?: boolean;
  "no-cache"?: boolean;
}

/** The extra inline namespaces given, in order, commas split. */
export function inlineNamespacesFrom(values: SymbolOptionValues): string[] {
  return [...(values["inline-namespace"] ?? []), ...(values["inline-ns"] ?? [])]
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** False when the cache is turned off. */
export function symbolCacheFrom(values: SymbolOptionValues): boolean {
  return values["no-symbol-cache"] !== true && values["no-cache"] !== true;
}
