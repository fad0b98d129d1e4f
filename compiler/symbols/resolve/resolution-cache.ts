// Resolutions cached per binary under $XDG_CACHE_HOME/probec (default ~/.cache/probec), keyed by
// build-id. An entry is trusted for a file whose identity (device, inode, size, mtime, ctime) it has
// seen; any other file with that build-id must have the same symbol-table digest, or the entry is
// stale and rebuilt. Envoy sets its build-id to the git revision, so a rebuilt dirty tree keeps its
// build-id while its symbols move: the digest is what catches it. The digest (SHA-1 of the symbol
// and string tables, ~55 ms for 90 MB) is only computed once a second file with the same build-id
// shows up; until then an entry has none, and an entry without one is never reused for another file.
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { BinaryFacts, SymbolBinary } from "./binary.js";
import type { SymbolMatch } from "./match-symbols.js";
import { sha1Hex } from "./sha1.js";

/** Bump when the entry format or the demangler/matcher semantics change. */
const FORMAT = "probec-symbols-4";
const MAX_IDENTITIES = 16;
/** Queries matching more than this many entries are not stored (they are errors or listings). */
const MAX_STORED_MATCHES = 20_000;

export interface CachedQuery {
  /** Null when too many to store; then `count` still says how many. */
  matches: SymbolMatch[] | null;
  count: number;
  candidates: string[];
}

export interface CacheEntry {
  format: string;
  buildId: string | null;
  /** Null until a second file with this build-id has been seen. */
  digest: string | null;
  identities: string[];
  facts: BinaryFacts;
  queries: Record<string, CachedQuery>;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== "" ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "probec");
}

export class ResolutionCache {
  constructor(readonly dir: string = defaultCacheDir()) {}

  private fileFor(binary: SymbolBinary): string {
    const id = binary.elf.buildId;
    const key = id !== null ? `build-id-${id}` : `path-${sha1Hex(realpathSync(binary.path))}`;
    return join(this.dir, "symbols", `${key}.json`);
  }

  /** The entry for this binary if one exists and is valid for it; `reason` says why not otherwise. */
  load(binary: SymbolBinary): { entry: CacheEntry | null; identityAdded: boolean; reason: string } {
    let entry: CacheEntry;
    try {
      entry = JSON.parse(readFileSync(this.fileFor(binary), "utf8")) as CacheEntry;
    } catch {
      return { entry: null, identityAdded: false, reason: "no cache entry" };
    }
    if (entry.format !== FORMAT || entry.buildId !== binary.elf.buildId) return { entry: null, identityAdded: false, reason: "entry of another format" };
    const identity = binary.elf.fileIdentity;
    if (entry.identities.includes(identity)) return { entry, identityAdded: false, reason: "same file" };
    // A file we have not seen: trust the entry only for the very same symbol table.
    if (entry.digest === null || entry.digest !== binary.symbolTableDigest()) return { entry: null, identityAdded: false, reason: "symbol table changed" };
    entry.identities = [identity, ...entry.identities].slice(0, MAX_IDENTITIES);
    return { entry, identityAdded: true, reason: "same symbol table" };
  }

  /** `withDigest` once another file with the same build-id has been seen. */
  newEntry(binary: SymbolBinary, withDigest: boolean): CacheEntry {
    return {
      format: FORMAT,
      buildId: binary.elf.buildId,
      digest: withDigest ? binary.symbolTableDigest() : null,
      identities: [binary.elf.fileIdentity],
      facts: binary.facts(),
      queries: {},
    };
  }

  /** Writes atomically (temp file + rename); a cache that cannot be written is skipped, not fatal. */
  save(binary: SymbolBinary, entry: CacheEntry): boolean {
    const file = this.fileFor(binary);
    try {
      mkdirSync(join(this.dir, "symbols"), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, file);
      return true;
    } catch {
      return false;
    }
  }
}

export function toCachedQuery(matches: SymbolMatch[], candidates: string[]): CachedQuery {
  return { matches: matches.length <= MAX_STORED_MATCHES ? matches : null, count: matches.length, candidates };
}
