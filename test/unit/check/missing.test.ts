// What `probec check` says when a point cannot attach somewhere: a required point that exists in
// 1.19 and not in 1.3x, a required `.orElse` group with no member anywhere, unbound or unknown
// binary names, an unreadable binary.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { CheckCode, checkFile } from "../../../compiler/check/index.js";
import { brokenProbeFile, buildCheckFixtures, PROBES, type CheckFixtures } from "./fixtures.js";

let fx: CheckFixtures;
beforeAll(async () => {
  fx = await buildCheckFixtures();
}, 240_000);

describe("a required point that disappears in the newer generation", () => {
  test("is resolved on 1.19, missing on 1.3x, with an error naming the point, the binary and the nearest candidates", async () => {
    const { report } = await checkFile(join(PROBES, "filter-chain-required.probe.ts"), [
      { name: "envoy", path: fx.old.path },
      { name: "envoy", path: fx.newGcc.path },
    ], { cache: false });
    expect(report).not.toBeNull();
    expect(report!.ok).toBe(false);
    const [point] = report!.points;
    expect(point!.optional).toBe(false);
    expect(point!.cells[0]).toMatchObject({ status: "resolved", alternatives: [0] });
    const missing = point!.cells[1]!;
    expect(missing.status).toBe("missing");
    if (missing.status !== "missing") return;
    expect(missing.required).toBe(true);
    expect(missing.candidates).toContain("Envoy::StreamInfo::StreamInfoImpl::~StreamInfoImpl()");

    const errors = report!.diagnostics.filter((d) => d.category === "error");
    expect(errors).toHaveLength(1);
    const e = errors[0]!;
    expect(e.code).toBe(CheckCode.RequiredPointMissing);
    expect(e.message).toContain("'Envoy::StreamInfo::StreamInfoImpl::setFilterChainName'");
    expect(e.message).toContain(`[2] envoy=${fx.newGcc.path}`);
    expect(e.message).toContain(`build-id ${report!.columns[1]!.buildId}`);
    expect(e.loc).toMatchObject({ line: 7, column: 1 });
    expect(e.loc!.file).toMatch(/filter-chain-required\.probe\.ts$/);
    expect(e.notes?.[0]).toBe("nearest candidates:");
    expect(e.notes).toContain("  Envoy::StreamInfo::StreamInfoImpl::~StreamInfoImpl()");
  });

  test("the same point against 1.19 builds only is fine", async () => {
    const { report } = await checkFile(join(PROBES, "filter-chain-required.probe.ts"), [{ name: "envoy", path: fx.old.path }], { cache: false });
    expect(report!.ok).toBe(true);
    expect(report!.diagnostics.filter((d) => d.category === "error")).toEqual([]);
  });
});

describe("groups, names and unreadable binaries", () => {
  test("a required .orElse group with no member resolving fails once, naming every member's pattern", async () => {
    const { report } = await checkFile(join(PROBES, "group-required.probe.ts"), [{ name: "envoy", path: fx.newClang.path }], { cache: false });
    expect(report!.ok).toBe(false);
    const [first, second, other] = report!.points;
    expect(first!.cells[0]).toMatchObject({ status: "missing", required: true });
    expect(second!.cells[0]).toMatchObject({ status: "missing", required: true });
    expect(other!.cells[0]!.status).toBe("resolved");
    const errors = report!.diagnostics.filter((d) => d.code === CheckCode.RequiredPointMissing);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("'Envoy::Nowhere::Gone::first' or 'Envoy::Nowhere::Gone::second'");
  });

  test("a point of another binary is 'unbound' in a column; a declared binary never given is an error", async () => {
    const both = await checkFile(join(PROBES, "two-binaries.probe.ts"), [
      { name: "envoy", path: fx.old.path },
      { name: "other", path: fx.newGcc.path },
    ], { cache: false });
    expect(both.report!.ok).toBe(true);
    const [a, b] = both.report!.points;
    expect(a!.cells.map((c) => c.status)).toEqual(["resolved", "unbound"]);
    expect(b!.cells.map((c) => c.status)).toEqual(["unbound", "resolved"]);

    const one = await checkFile(join(PROBES, "two-binaries.probe.ts"), [{ name: "envoy", path: fx.old.path }], { cache: false });
    expect(one.report!.ok).toBe(false);
    const d = one.report!.diagnostics.find((x) => x.code === CheckCode.BinaryNotGiven);
    expect(d?.message).toContain("binary 'other' but no --binary other=PATH");
  });

  test("a --binary name the script does not declare is an error naming the declared ones", async () => {
    const { report } = await checkFile(join(PROBES, "filter-chain-required.probe.ts"), [
      { name: "envoy", path: fx.old.path },
      { name: "enovy", path: fx.old.path },
    ], { cache: false });
    expect(report!.ok).toBe(false);
    const d = report!.diagnostics.find((x) => x.code === CheckCode.UnknownBinaryName);
    expect(d?.message).toBe("--binary enovy=…: the probe file declares no binary 'enovy'; it declares 'envoy'.");
  });

  test("a file that is not an ELF binary: its column is an error with the reason and offset; others still resolve", async () => {
    const dir = mkdtempSync(join(tmpdir(), "probec-check-"));
    const notElf = join(dir, "envoy.txt");
    writeFileSync(notElf, "#!/bin/sh\necho not an ELF file\n");
    const { report } = await checkFile(join(PROBES, "filter-chain-required.probe.ts"), [
      { name: "envoy", path: notElf },
      { name: "envoy", path: fx.old.path },
      { name: "envoy", path: join(dir, "missing") },
    ], { cache: false });
    expect(report!.ok).toBe(false);
    expect(report!.columns[0]!.error).toMatch(/not an ELF file.*offset 0x0/);
    expect(report!.columns[2]!.error).toMatch(/missing: ENOENT$/);
    expect(report!.points[0]!.cells.map((c) => c.status)).toEqual(["error", "resolved", "error"]);
    const unreadable = report!.diagnostics.filter((d) => d.code === CheckCode.BinaryUnreadable);
    expect(unreadable.map((d) => d.message)).toEqual([
      expect.stringContaining(`[1] envoy=${notElf}`),
      expect.stringMatching(/^Cannot read binary \[3\] envoy=\S+\/missing: .*ENOENT\.$/),
    ]);
  });

  test("a probe file that does not compile gives its diagnostics and no matrix", async () => {
    const result = await checkFile(brokenProbeFile(), [{ name: "envoy", path: fx.old.path }], { cache: false });
    expect(result.report).toBeNull();
    expect(result.diagnostics.some((d) => d.category === "error" && d.source === "ts" && d.loc?.line === 5)).toBe(true);
  });
});

describe("reads that fit one binary and not another", () => {
  test("parseClientHello's third parameter: BAD READ on 1.19 (the ABI stage's error, naming the binary), fine on 1.3x", async () => {
    const { report } = await checkFile(join(PROBES, "reads.probe.ts"), [
      { name: "envoy", path: fx.old.path },
      { name: "envoy", path: fx.newGcc.path },
    ], { cache: false });
    expect(report!.ok).toBe(false);
    const [old, gcc] = report!.points[0]!.cells;
    expect(old).toMatchObject({ status: "resolved", readErrors: [expect.stringContaining("argument 2 is out of range")] });
    expect(gcc!.status).toBe("resolved");
    expect(gcc).not.toHaveProperty("readErrors");
    const errors = report!.diagnostics.filter((d) => d.category === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.loc).toMatchObject({ line: 7 });
    expect(errors[0]!.notes).toContain(`in binary [1] envoy=${fx.old.path} (build-id ${report!.columns[0]!.buildId})`);
  });

  test("reads: false leaves the ABI stage out", async () => {
    const { report } = await checkFile(join(PROBES, "reads.probe.ts"), [{ name: "envoy", path: fx.old.path }], { cache: false, reads: false });
    expect(report!.ok).toBe(true);
    expect(report!.points[0]!.cells[0]).not.toHaveProperty("readErrors");
  });
});
