// `probec symbols`: output formats, exit codes and one-line errors.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../compiler/cli/commands/symbols.js";
import { fixtureBinaries, removeFixtureBinaries, type FixtureBinaries } from "../elf/fixture-binaries.js";

afterAll(() => removeFixtureBinaries());

let fx: FixtureBinaries;
beforeAll(() => {
  fx = fixtureBinaries();
}, 120_000);

let savedXdg: string | undefined;
beforeEach(() => {
  savedXdg = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), "probec-cli-cache-"));
});
afterEach(() => {
  rmSync(process.env.XDG_CACHE_HOME!, { recursive: true, force: true });
  if (savedXdg === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedXdg;
  vi.restoreAllMocks();
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

const LAMBDA = "Envoy::Event::FileEventImpl::assignEvents::{lambda}";
const GCC_FUN = "_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseENUlisPvE_4_FUNEisS4_";

describe("probec symbols", () => {
  it("prints ADDRESS SIZE DEMANGLED per match", async () => {
    const r = await run(fx.gcc, LAMBDA);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const m = /^([0-9a-f]{16}) (\d+) (.*)$/.exec(lines[0]!)!;
    expect(m[3]).toBe("Envoy::Event::FileEventImpl::assignEvents(unsigned int, event_base*)::{lambda(int, short, void*)#1}::_FUN(int, short, void*)");
    const nm = execFileSync("nm", ["-S", fx.gcc], { encoding: "utf8" }).split("\n").find((l) => l.endsWith(GCC_FUN))!.split(" ");
    expect(parseInt(m[1]!, 16)).toBe(parseInt(nm[0]!, 16));
    expect(Number(m[2])).toBe(parseInt(nm[1]!, 16));
  });

  it("adds the mangled name with --mangled and prints objects with --json", async () => {
    const mangled = await run(fx.gcc, LAMBDA, "--mangled");
    expect(mangled.stdout.trimEnd().split(" ")[2]).toBe(GCC_FUN);
    const json = await run(fx.clang, LAMBDA, "Envoy::Event::FileEventImpl::FileEventImpl", "--json");
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(expect.arrayContaining(["mangled", "demangled", "address", "size", "fileOffset", "params", "pattern"]));
      expect(typeof row.address).toBe("number");
    }
    expect(rows.map((r) => r.mangled)).toContain("_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseEN3$_08__invokeEisPv");
  });

  it("lists every function (one per address) when no pattern is given", async () => {
    const r = await run(fx.gcc);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    let inSymtab = false;
    const readelfAddresses = new Set(
      execFileSync("readelf", ["-W", "--syms", fx.gcc], { encoding: "utf8" })
        .split("\n")
        .filter((l) => {
          if (l.startsWith("Symbol table")) inSymtab = l.includes("'.symtab'");
          return inSymtab && / I?FUNC /.test(l) && !/ UND /.test(l);
        })
        .map((l) => l.trim().split(/\s+/)[1]),
    );
    expect(readelfAddresses.size).toBeGreaterThan(10);
    expect(lines.length).toBe(readelfAddresses.size);
    expect(lines.some((l) => l.endsWith(" main"))).toBe(true);
    expect(lines.some((l) => l.includes(" Envoy::Network::ListenerManager::addListener(int)"))).toBe(true);
  });

  it("honours --inline-ns and notes a stripped binary on stderr", async () => {
    const p = "Envoy::Network::TcpListenerImpl::onSocketEvent";
    expect((await run(fx.gcc, p)).code).toBe(1);
    const ok = await run(fx.gcc, p, "--inline-ns", "absl::debian3,Envoy::Network::v2");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("Envoy::Network::v2::TcpListenerImpl::onSocketEvent(short)");
    const stripped = await run(fx.gccStripped, "Envoy::Network::ListenerManager::*");
    expect(stripped.code).toBe(0);
    expect(stripped.stderr).toMatch(/^probec symbols: note: .* has no \.symtab \(stripped\); only the functions exported in \.dynsym are visible\n$/);
    expect(stripped.stdout.trimEnd().split("\n")).toHaveLength(2);
  });

  it("takes the symbol options as build and check spell them, and their short forms", async () => {
    const p = "Envoy::Network::TcpListenerImpl::onSocketEvent";
    const long = await run(fx.gcc, p, "--inline-namespace", "absl::debian3", "--inline-namespace", "Envoy::Network::v2", "--no-symbol-cache");
    const short = await run(fx.gcc, p, "--inline-ns", "absl::debian3,Envoy::Network::v2", "--no-cache");
    expect(long.code).toBe(0);
    expect(long.stdout).toContain("Envoy::Network::v2::TcpListenerImpl::onSocketEvent(short)");
    expect(short.stdout).toBe(long.stdout);
    // Neither run wrote a cache entry; a run without the flag does.
    const cacheDir = join(process.env.XDG_CACHE_HOME!, "probec", "symbols");
    expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
    await run(fx.gcc, p, "--inline-ns", "Envoy::Network::v2");
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it("exits 1 with the code and message on one line for each failing pattern", async () => {
    const none = await run(fx.gcc, "Envoy::Network::ListenerManager::addListenr", "main");
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^probec symbols: SYM_NO_MATCH: no function in .* matches 'Envoy::Network::ListenerManager::addListenr'; nearest: 'Envoy::Network::ListenerManager::addListener\(int\)'.*\n$/);
    expect(none.stdout).toMatch(/ main\n$/); // the other pattern still printed
    const many = await run(fx.gcc, "Envoy::**", "--limit", "2");
    expect(many.code).toBe(1);
    expect(many.stderr).toMatch(/^probec symbols: SYM_TOO_MANY: 'Envoy::\*\*' matches \d+ functions/);
    const bad = await run(fx.gcc, "Envoy::Net work");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("probec symbols: PATTERN_BAD_CHAR: unexpected 'w' at column 12 of pattern 'Envoy::Net work'\n");
    const dir = mkdtempSync(join(tmpdir(), "probec-cli-"));
    const text = join(dir, "notes.txt");
    writeFileSync(text, "hello\n");
    const notElf = await run(text, "main");
    expect(notElf.code).toBe(1);
    expect(notElf.stderr).toBe(`probec symbols: ELF_NOT_ELF: ${text}: not an ELF file: bad magic (at offset 0x0)\n`);
    const missing = await run(join(dir, "nope"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^probec symbols: ELF_OPEN_FAILED: .*ENOENT\n$/);
  });

  it("exits 2 with one line for usage errors", async () => {
    for (const argv of [[], [fx.gcc, "--limit", "0"], [fx.gcc, "--limit", "many"], [fx.gcc, "--frobnicate"]]) {
      const r = await run(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^probec symbols: [^\n]+\n$/);
    }
    const help = await run("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: probec symbols BINARY [PATTERN…]");
  });

  it("lists one entry per address, the other names of that address as its aliases (text and --json)", async () => {
    // nm's view: addresses that carry more than one function name (g++ emits C1 as an alias of C2).
    const nmRows = execFileSync("nm", [fx.gcc], { encoding: "utf8" })
      .split("\n")
      .map((l) => l.split(" "))
      .filter((f) => f.length === 3 && /^[tTwW]$/.test(f[1]!));
    const names = new Map<number, Set<string>>();
    for (const [addr, , name] of nmRows) {
      const a = parseInt(addr!, 16);
      if (!names.has(a)) names.set(a, new Set());
      names.get(a)!.add(name!);
    }
    const shared = [...names].filter(([, n]) => n.size > 1);
    const ctor = shared.find(([, n]) => [...n].some((x) => x.includes("13FileEventImplC")));
    expect(ctor, "g++ folds the FileEventImpl C1/C2 constructors into one address").toBeDefined();

    const text = await run(fx.gcc);
    expect(text.code).toBe(0);
    const addresses = text.stdout.trimEnd().split("\n").map((l) => l.slice(0, 16));
    expect(new Set(addresses).size).toBe(addresses.length);
    const ctorLine = text.stdout.split("\n").find((l) => parseInt(l.slice(0, 16), 16) === ctor![0])!;
    expect(ctorLine).toMatch(/ Envoy::Event::FileEventImpl::FileEventImpl\(int\) \[aliases: _ZN5Envoy5Event13FileEventImplC[12]Ei\]$/);

    const json = await run(fx.gcc, "--json");
    const rows = JSON.parse(json.stdout) as { address: number; mangled: string; aliases: string[] }[];
    expect(new Set(rows.map((r) => r.address)).size).toBe(rows.length);
    for (const [addr, n] of shared) {
      const row = rows.find((r) => r.address === addr);
      if (!row) continue; // a name probec does not list as a function (e.g. not sized)
      expect(new Set([row.mangled, ...row.aliases])).toEqual(n);
    }

    // Two patterns naming the two names of one constructor still give one entry.
    const both = await run(fx.gcc, "_ZN5Envoy5Event13FileEventImplC1Ei", "_ZN5Envoy5Event13FileEventImplC2Ei", "--json");
    const bothRows = JSON.parse(both.stdout) as { mangled: string; aliases: string[] }[];
    expect(bothRows).toHaveLength(1);
    expect(new Set([bothRows[0]!.mangled, ...bothRows[0]!.aliases])).toEqual(new Set(["_ZN5Envoy5Event13FileEventImplC1Ei", "_ZN5Envoy5Event13FileEventImplC2Ei"]));
  });
});
