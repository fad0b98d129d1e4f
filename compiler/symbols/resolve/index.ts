// The resolver's API for the compiler and the CLI: open a binary, resolve patterns to entries.
import { openBinary } from "./binary.js";
import { resolvePatterns, type ResolveOptions, type Resolution } from "./resolve-patterns.js";

export { openBinary, SymbolBinary, type BinaryFacts } from "./binary.js";
export { resolvePatterns, DEFAULT_MATCH_LIMIT, type ResolveOptions, type Resolution, type PatternResolution } from "./resolve-patterns.js";
export { ResolveError, type ResolveErrorCode } from "./resolve-error.js";
export type { SymbolMatch } from "./match-symbols.js";
export { defaultCacheDir } from "./resolution-cache.js";
export type { StdLib, StdLibFacts } from "./stdlib.js";
export { listFunctions, type ListedFunction } from "./list-functions.js";
export { ElfError, type ElfErrorCode } from "../elf/index.js";
export { PatternError, type PatternErrorCode } from "../pattern/index.js";

/** Opens `binaryPath`, resolves `patterns`, closes the file. */
export function resolve(binaryPath: string, patterns: readonly string[], options: ResolveOptions = {}): Resolution {
  const binary = openBinary(binaryPath);
  try {
    return resolvePatterns(binary, patterns, options);
  } finally {
    binary.close();
  }
}
