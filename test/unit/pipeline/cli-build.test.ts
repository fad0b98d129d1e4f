// `probec build` as a command: usage errors are one line and exit 2; build errors print tsc-style
// (file:line:col, code frame) and exit 1; success names both files and exits 0.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { main } from "../../../compiler/cli/commands/build.js";

const SEED_PORT = "examples/envoy/accept-flow.probe.ts";

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("usage errors: one line, exit 2", () => {
  test.each([
    [[], /^probec build: expected one probe file, got none \(see 'probec build --help'\)\n$/],
    [["a.probe.ts", "b.probe.ts"], /^probec build: expected one probe file, got 2/],
    [["a.probe.ts", "--bpftrace-version", "0.16"], /^probec build: --bpftrace-version: bpftrace 0.16 is older than 0.17/],
    [["a.probe.ts", "--bpftrace-version", "newest"], /^probec build: --bpftrace-version: invalid bpftrace version 'newest'/],
    [["a.probe.ts", "--binary", "envoy"], /^probec build: --binary expects NAME=PATH, got 'envoy'\n$/],
    [["a.probe.ts", "--param", "A=1", "--param", "A=2"], /^probec build: --param A is given twice\n$/],
    [["a.probe.ts", "--frobnicate"], /^probec build: Unknown option '--frobnicate'/],
  ])("%j", async (argv, expected) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(expected);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });

  test("--help prints the options and exits 0", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("--binary NAME=PATH");
    expect(r.out).toContain("--bpftrace-version V");
  });
});

describe("build errors: tsc-style, exit 1, nothing written", () => {
  test("a binary the probe uses but that is not bound", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "probec-cli-")), "x.bt");
    const r = await run([SEED_PORT, "-o", out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^examples\/envoy\/accept-flow\.probe\.ts:\d+:\d+ - error PC9301: Binary 'envoy' is not bound: pass --binary envoy=\/path\/to\/envoy\./m);
    expect(r.err).toContain("binary('envoy') is declared at examples/envoy/accept-flow.probe.ts:");
    expect(r.err).toMatch(/Found 1 error\.\n$/);
    expect(() => readFileSync(out)).toThrow();
  });

  test("a binary that does not exist", async () => {
    const r = await run([SEED_PORT, "--binary", "envoy=/nonexistent/envoy"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error PC9611: Cannot use '\/nonexistent\/envoy' as binary 'envoy'/);
  });

  test("a file that is not an ELF binary names the byte offset", async () => {
    const r = await run([SEED_PORT, "--binary", `envoy=${join(process.cwd(), "package.json")}`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error PC9611: Cannot use '.*package\.json' as binary 'envoy': .*offset 0x0/);
  });

  test("a --binary name the probe file does not declare", async () => {
    const r = await run([SEED_PORT, "--binary", "envoy=/bin/true", "--binary", "nginx=/bin/true"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("error PC9610: --binary nginx=…: the probe file declares no binary 'nginx'; it declares 'envoy'.");
  });
});

describe("a successful build", () => {
  test("writes the script and the manifest, and says so", async () => {
    const { buildFixture } = await import("../../fixtures/build-fixture.js");
    const fixture = await buildFixture({ compiler: "gcc", stringView: "std-alias" });
    const dir = mkdtempSync(join(tmpdir(), "probec-cli-"));
    const out = join(dir, "seed.bt");
    const r = await run([SEED_PORT, "--binary", `envoy=${fixture.path}`, "-o", out, "--param", "ENVOY_PID=1234", "--bpftrace-version", "0.26"]);
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(\\d+ probes, bpftrace 0.26\\) and ${join(dir, "seed.manifest.json").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n$`));
    const manifest = JSON.parse(readFileSync(join(dir, "seed.manifest.json"), "utf8"));
    expect(manifest.params).toEqual([{ name: "ENVOY_PID", kind: "int", position: 1, default: "1234" }]);
    expect(manifest.binaries[0]).toMatchObject({ name: "envoy", path: fixture.path, stdlib: "libstdc++" });
    // libstdc++'s string_view is {len, str}: the text pointer is the second word (rdx after `this`).
    expect(readFileSync(out, "utf8")).toMatch(/str\(reg\("dx"\), \(reg\("si"\) < \d+ \? reg\("si"\) : \d+\) \+ 1\)/);
  }, 300_000);
});
