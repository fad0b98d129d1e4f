// The build-id keyed cache: a second resolution does not read the symbol table, and a changed
// binary never reuses a stale entry.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultCacheDir, openBinary, resolvePatterns, type ResolveOptions } from "../../../compiler/symbols/resolve/index.js";
import { fixtureBinaries, removeFixtureBinaries, type FixtureBinaries } from "../elf/fixture-binaries.js";

afterAll(() => removeFixtureBinaries());

let fx: FixtureBinaries;
let cacheDir: string;
let work: string;
const PATTERNS = ["Envoy::Network::v2::TcpListenerImpl::*", "Envoy::Event::FileEventImpl::assignEvents::{lambda}"];

beforeAll(() => {
  fx = fixtureBinaries();
}, 120_000);
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), "probec-cache-test-"));
  work = mkdtempSync(join(tmpdir(), "probec-cache-bin-"));
});
afterEach(() => {
  rmSync(cacheDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

function run(path: string, patterns = PATTERNS, extra: ResolveOptions = {}) {
  const binary = openBinary(path);
  try {
    const r = resolvePatterns(binary, patterns, { cache: cacheDir, ...extra });
    return { r, symbolsRead: binary.elf.symbolsRead, names: r.patterns.flatMap((p) => p.matches.map((m) => m.demangled)) };
  } finally {
    binary.close();
  }
}

describe("resolution cache", () => {
  it("answers the second resolution from the cache without reading the symbol table", () => {
    const first = run(fx.gcc);
    expect(first.r.cache).toBe("cold");
    expect(first.r.patterns.every((p) => !p.fromCache)).toBe(true);
    expect(readdirSync(join(cacheDir, "symbols"))).toEqual([`build-id-${first.r.binary.buildId}.json`]);
    const second = run(fx.gcc);
    expect(second.r.cache).toBe("warm");
    expect(second.r.patterns.every((p) => p.fromCache)).toBe(true);
    expect(second.symbolsRead).toBe(false);
    expect(second.names).toEqual(first.names);
    expect(second.r.patterns[0]!.matches[0]!.view.path.length).toBeGreaterThan(0);
    expect(second.r.binary).toEqual(first.r.binary);
  });

  it("caches no-match candidates and re-applies a different limit", () => {
    run(fx.gcc, ["Envoy::Network::v2::TcpListenerImpl::onSocketEvnt"]);
    const again = run(fx.gcc, ["Envoy::Network::v2::TcpListenerImpl::onSocketEvnt"]);
    expect(again.r.patterns[0]!.fromCache).toBe(true);
    expect(again.r.patterns[0]!.error?.candidates[0]).toContain("onSocketEvent");
    expect(run(fx.gcc, ["Envoy::**"], { limit: 2 }).r.patterns[0]!.error?.code).toBe("SYM_TOO_MANY");
    const relaxed = run(fx.gcc, ["Envoy::**"], { limit: 100 });
    expect(relaxed.r.patterns[0]!.fromCache).toBe(true);
    expect(relaxed.r.patterns[0]!.error).toBeNull();
  });

  it("keys queries by the inline-namespace configuration too", () => {
    const plain = run(fx.gcc, ["Envoy::Network::TcpListenerImpl::onSocketEvent"]);
    expect(plain.r.patterns[0]!.error?.code).toBe("SYM_NO_MATCH");
    const withV2 = run(fx.gcc, ["Envoy::Network::TcpListenerImpl::onSocketEvent"], { inlineNamespaces: ["Envoy::Network::v2"] });
    expect(withV2.r.patterns[0]!.error).toBeNull();
  });

  it("reuses an entry for a copy of the same binary once it has a digest to check", () => {
    expect(run(fx.gcc).r.cache).toBe("cold");
    const copy = join(work, "copy");
    copyFileSync(fx.gcc, copy);
    // The first entry has no digest (computing one costs a pass over the tables): a second file
    // with the same build-id is resolved afresh, and the new entry carries a digest.
    const first = run(copy);
    expect(first.r.cache).toBe("stale");
    expect(first.r.patterns.every((p) => !p.fromCache)).toBe(true);
    expect(run(copy).r.cache).toBe("warm");
    // The original file is now recognised by the digest of its symbol table.
    const back = run(fx.gcc);
    expect(back.r.cache).toBe("revalidated");
    expect(back.symbolsRead).toBe(true);
    expect(back.r.patterns.every((p) => p.fromCache)).toBe(true);
    expect(back.names).toEqual(first.names);
    expect(run(fx.gcc).r.cache).toBe("warm");
    expect(run(copy).r.cache).toBe("warm");
  });

  it("never reuses the entry when the binary is rebuilt at the same path with the same build-id", () => {
    const path = join(work, "envoy");
    copyFileSync(fx.gcc, path);
    const before = run(path);
    expect(before.names).toContain("Envoy::Network::v2::TcpListenerImpl::onSocketEvent(short)");
    // Rename a method in place: objcopy keeps the build-id note, as a dirty-tree Envoy rebuild does.
    execFileSync("objcopy", ["--redefine-sym", "_ZN5Envoy7Network2v215TcpListenerImpl13onSocketEventEs=_ZN5Envoy7Network2v215TcpListenerImpl13onSocketEvenXEs", path]);
    const after = run(path);
    expect(after.r.binary.buildId).toBe(before.r.binary.buildId);
    expect(after.r.cache).toBe("stale");
    expect(after.r.patterns.every((p) => !p.fromCache)).toBe(true);
    expect(after.names).not.toContain("Envoy::Network::v2::TcpListenerImpl::onSocketEvent(short)");
    expect(after.names.some((n) => n.includes("onSocketEvenX(short)"))).toBe(true);
    expect(run(path).r.cache).toBe("warm");
  });

  it("never reuses the entry for another file with the same build-id and different symbols", () => {
    run(fx.gcc);
    const copy = join(work, "copy");
    copyFileSync(fx.gcc, copy);
    run(copy); // the entry now has a digest
    const other = join(work, "other");
    execFileSync("objcopy", ["--redefine-sym", "_ZN5Envoy7Network2v215TcpListenerImpl13onSocketEventEs=_ZN5Envoy7Network2v215TcpListenerImpl13onSocketEvenYEs", fx.gcc, other]);
    expect(openBinary(other).elf.buildId).toBe(openBinary(fx.gcc).elf.buildId);
    const r = run(other);
    expect(r.r.cache).toBe("stale");
    expect(r.r.patterns.every((p) => !p.fromCache)).toBe(true);
    expect(r.names.some((n) => n.includes("onSocketEvenY(short)"))).toBe(true);
    expect(r.names.some((n) => n.includes("onSocketEvent(short)"))).toBe(false);
  });

  it("keys a binary without a build-id by its real path", () => {
    const noId = join(work, "no-build-id");
    execFileSync("objcopy", ["--remove-section", ".note.gnu.build-id", fx.gcc, noId]);
    const first = run(noId);
    expect(first.r.binary.buildId).toBeNull();
    expect(first.r.cache).toBe("cold");
    expect(readdirSync(join(cacheDir, "symbols"))[0]).toMatch(/^path-[0-9a-f]{40}\.json$/);
    const second = run(noId);
    expect(second.r.cache).toBe("warm");
    expect(second.names).toEqual(first.names);
  });

  it("ignores a corrupt entry and replaces it", () => {
    const first = run(fx.gcc);
    writeFileSync(join(cacheDir, "symbols", `build-id-${first.r.binary.buildId}.json`), "{ not json");
    const again = run(fx.gcc);
    expect(again.r.cache).toBe("cold");
    expect(again.names).toEqual(first.names);
    expect(run(fx.gcc).r.cache).toBe("warm");
  });

  it("keeps working when the cache directory cannot be written", () => {
    const blocked = join(work, "file-not-dir");
    writeFileSync(blocked, "");
    const r = resolvePatterns(openBinary(fx.gcc), PATTERNS, { cache: blocked });
    expect(r.patterns.every((p) => p.error === null)).toBe(true);
  });

  it("lives under $XDG_CACHE_HOME/probec, or ~/.cache/probec", () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/var/tmp/xdg" })).toBe("/var/tmp/xdg/probec");
    expect(defaultCacheDir({})).toBe(join(homedir(), ".cache", "probec"));
    expect(defaultCacheDir({ XDG_CACHE_HOME: "" })).toBe(join(homedir(), ".cache", "probec"));
  });
});
