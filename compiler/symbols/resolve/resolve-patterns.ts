// Resolves C++ symbol patterns against one binary, through the cache when it can.
import { compilePattern, InlineNamespaces, type SymbolPattern } from "../pattern/index.js";
import type { BinaryFacts, SymbolBinary } from "./binary.js";
import { matchSymbols, ViewCache, type SymbolMatch } from "./match-symbols.js";
import { nearestCandidates } from "./nearest.js";
import { prefilterMany } from "./prefilter.js";
import { noMatchError, tooManyError, type ResolveError } from "./resolve-error.js";
import { ResolutionCache, toCachedQuery, type CacheEntry, type CachedQuery } from "./resolution-cache.js";

/** bpftrace 0.17 refuses to attach more than 512 probes from one wildcard. */
export const DEFAULT_MATCH_LIMIT = 512;

export interface ResolveOptions {
  /** Extra inline namespaces, e.g. `absl::debian3` (the defaults are always on). */
  inlineNamespaces?: readonly string[];
  /** Most entries one pattern may match before it is an error. Default 512. */
  limit?: number;
  /** false: no cache; a string: the cache directory; default $XDG_CACHE_HOME/probec. */
  cache?: boolean | string;
}

export interface PatternResolution {
  pattern: string;
  /** Distinct entry addresses, sorted by address; empty when `error` is set. */
  matches: SymbolMatch[];
  error: ResolveError | null;
  fromCache: boolean;
}

export interface Resolution {
  binary: BinaryFacts;
  patterns: PatternResolution[];
  /**
   * How the cache was used: `off`; `cold` (no entry: built now); `warm` (entry trusted for this
   * file); `revalidated` (another file's entry, same symbol tables); `stale` (an entry for this
   * build-id did not fit this file: rebuilt, now with a digest).
   */
  cache: "off" | "cold" | "warm" | "revalidated" | "stale";
}

/**
 * Resolves each pattern. Malformed patterns throw PatternError before anything is read; a broken
 * binary throws ElfError; per-pattern failures (no match, too many) are returned in `error`.
 */
export function resolvePatterns(binary: SymbolBinary, patterns: readonly string[], options: ResolveOptions = {}): Resolution {
  const inline = new InlineNamespaces(options.inlineNamespaces ?? []);
  const compiled = patterns.map((p) => compilePattern(p, { inline }));
  const limit = options.limit ?? DEFAULT_MATCH_LIMIT;
  const cache = options.cache === false ? null : new ResolutionCache(typeof options.cache === "string" ? options.cache : undefined);

  let entry: CacheEntry | null = null;
  let state: Resolution["cache"] = "off";
  let dirty = false;
  if (cache !== null) {
    const loaded = cache.load(binary);
    entry = loaded.entry;
    dirty = loaded.identityAdded;
    state = entry === null ? (loaded.reason === "symbol table changed" ? "stale" : "cold") : loaded.identityAdded ? "revalidated" : "warm";
  }

  const views = new ViewCache(binary);
  const keyOf = (p: SymbolPattern) => JSON.stringify([p.text, inline.spelled]);
  const cachedOf = (p: SymbolPattern): CachedQuery | undefined => {
    const q = entry?.queries[keyOf(p)];
    return q !== undefined && (q.matches !== null || q.count > limit) ? q : undefined;
  };
  // Patterns not answered by the cache share one pass over the string table.
  const toCompute = compiled.filter((p) => cachedOf(p) === undefined);
  const candidates = new Map<SymbolPattern, number[]>();
  if (toCompute.length > 0) {
    const lists = prefilterMany(binary.symbols(), toCompute.map((p) => p.needles.required));
    toCompute.forEach((p, k) => candidates.set(p, lists[k]!));
  }
  const results: PatternResolution[] = [];
  for (const pattern of compiled) {
    const key = keyOf(pattern);
    let q = cachedOf(pattern);
    const fromCache = q !== undefined;
    if (!fromCache) {
      q = computeQuery(binary, pattern, inline, views, candidates.get(pattern));
      if (cache !== null) {
        entry ??= cache.newEntry(binary, state === "stale");
        entry.queries[key] = q;
        dirty = true;
      }
    }
    results.push(toResolution(binary, pattern, q!, limit, fromCache));
  }
  if (cache !== null && entry !== null && dirty) cache.save(binary, entry);
  if (fromAllCache(results) && state === "cold") state = "warm";
  return { binary: entry?.facts ?? binary.facts(), patterns: results, cache: state };
}

function fromAllCache(results: PatternResolution[]): boolean {
  return results.length > 0 && results.every((r) => r.fromCache);
}

function computeQuery(binary: SymbolBinary, pattern: SymbolPattern, inline: InlineNamespaces, views: ViewCache, prefiltered: number[] | undefined): CachedQuery {
  const matches = matchSymbols(binary, pattern, views, prefiltered);
  const candidates = matches.length === 0 ? nearestCandidates(binary, pattern.parsed, inline, views) : [];
  return toCachedQuery(matches, candidates);
}

function toResolution(binary: SymbolBinary, pattern: SymbolPattern, q: CachedQuery, limit: number, fromCache: boolean): PatternResolution {
  const base = { pattern: pattern.text, fromCache };
  if (q.count === 0) return { ...base, matches: [], error: noMatchError(pattern.text, binary.path, q.candidates, binary.elf.stripped) };
  if (q.count > limit) return { ...base, matches: [], error: tooManyError(pattern.text, binary.path, q.count, limit) };
  return { ...base, matches: q.matches!, error: null };
}
