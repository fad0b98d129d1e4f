// The `probec check` command itself: --json, exit codes, usage errors, what goes to stdout and stderr.
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { main } from "../../../compiler/cli/commands/check.js";
import type { CheckReport } from "../../../compiler/check/index.js";
import { brokenProbeFile, buildCheckFixtures, LIB_SCRIPT, PROBES, type CheckFixtures } from "./fixtures.js";

let fx: CheckFixtures;
beforeAll(async () => {
  fx = await buildCheckFixtures();
}, 240_000);

async function runCheck(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main([...args, "--no-symbol-cache"]);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("probec check (command)", () => {
  test("--json prints one document with the columns, the points and their cells; exit 0", async () => {
    const r = await runCheck([LIB_SCRIPT, "--binary", `envoy=${fx.old.path}`, "--binary", `envoy=${fx.newGcc.path}`, "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as CheckReport;
    expect(doc.ok).toBe(true);
    expect(doc.script).toBe(LIB_SCRIPT);
    expect(doc.columns.map((c) => [c.index, c.name, c.path])).toEqual([
      [1, "envoy", fx.old.path],
      [2, "envoy", fx.newGcc.path],
    ]);
    expect(doc.columns.every((c) => /^[0-9a-f]{40}$/.test(c.buildId ?? ""))).toBe(true);
    const parse = doc.points.find((p) => p.patterns[0]!.includes("parseClientHello"))!;
    expect(parse.cells.map((c) => (c.status === "resolved" ? c.alternatives : c.status))).toEqual([[1], [0]]);
    expect(parse.loc.file).toBe("examples/lib/envoy/tls-inspector.ts");
    // Warnings only (optional alternatives absent): on stderr, not in stdout.
    expect(r.stderr).not.toMatch(/error/);
  });

  test("a required point missing: exit 1, the matrix on stdout, the error with candidates on stderr", async () => {
    const script = join(PROBES, "filter-chain-required.probe.ts");
    const r = await runCheck([script, "--binary", `envoy=${fx.old.path}`, "--binary", `envoy=${fx.newClang.path}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^p0 \S+filter-chain-required\.probe\.ts:7:1\s+ok\s+MISSING$/m);
    expect(r.stdout).toContain("FAILED");
    expect(r.stderr).toContain("error PC9670: Required probe point 'Envoy::StreamInfo::StreamInfoImpl::setFilterChainName' resolves to nothing in binary [2] envoy=");
    expect(r.stderr).toContain("nearest candidates:");
    expect(r.stderr).toContain("Envoy::StreamInfo::StreamInfoImpl::~StreamInfoImpl()");
  });

  test("--json with a required point missing: ok false, the diagnostics in the document, exit 1", async () => {
    const script = join(PROBES, "filter-chain-required.probe.ts");
    const r = await runCheck([script, "--binary", `envoy=${fx.newGcc.path}`, "--json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as CheckReport;
    expect(doc.ok).toBe(false);
    expect(doc.points[0]!.cells[0]).toMatchObject({ status: "missing", required: true });
    expect(doc.diagnostics.map((d) => d.code)).toContain(9670);
  });

  test("a probe file that does not compile: exit 1 with tsc-style diagnostics", async () => {
    const r = await runCheck([brokenProbeFile(), "--binary", `envoy=${fx.old.path}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/broken\.probe\.ts:5:\d+ - error TS\d+/);
  });

  test.each([
    [[], "probec check: expected one probe file, got none (see 'probec check --help')"],
    [["x.probe.ts"], "probec check: give at least one --binary NAME=PATH (see 'probec check --help')"],
    [["x.probe.ts", "--binary", "envoy"], "probec check: --binary expects NAME=PATH, got 'envoy'"],
    [["x.probe.ts", "--binary", "=/bin/true"], "probec check: --binary expects NAME=PATH, got '=/bin/true'"],
    [["x.probe.ts", "--binary", "envoy=/bin/true", "--frobnicate"], /^probec check: Unknown option '--frobnicate'\.[^\n]*\n$/],
    [["a.probe.ts", "b.probe.ts", "--binary", "envoy=/bin/true"], "probec check: expected one probe file, got 2 (see 'probec check --help')"],
  ])("usage error %j: one line, exit 2", async (args, message) => {
    const r = await runCheck(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    if (message instanceof RegExp) expect(r.stderr).toMatch(message);
    else expect(r.stderr).toBe(message + "\n");
  });

  test("--help prints the usage and exits 0", async () => {
    const r = await runCheck(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: probec check FILE.probe.ts --binary NAME=PATH");
  });
});
