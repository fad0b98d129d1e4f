// The manifest: valid when written (built from a real backend run), and rejected with a clear
// error — file, property, reason — when it is corrupted, truncated or from another version.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { generateScript, parseBpftraceTarget } from "../../../compiler/backend/index.js";
import type { Manifest } from "../../../compiler/ir/manifest.js";
import { assertManifest, ManifestError, manifestProblems, readManifest } from "../../../compiler/ir/validate-manifest.js";
import { buildManifest } from "../../../compiler/pipeline/manifest-builder.js";
import { uprobesProgram } from "../backend/ir-samples.js";

let good: Manifest;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "probec-manifest-"));
  const program = uprobesProgram();
  const r = generateScript(program, { target: parseBpftraceTarget("0.17"), probecVersion: "0.1.0" });
  if (!r.ok) throw new Error("backend failed");
  const built = buildManifest({ program, params: program.params, script: r.script, scriptPath: "/x/flow.bt", bpftraceVersion: "0.17", probecVersion: "0.1.0", warnings: r.script.warnings });
  if ("diagnostic" in built) throw new Error(built.diagnostic.notes?.join("\n"));
  good = built.manifest;
});

function write(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe("valid manifests", () => {
  test("what the build writes validates and reads back unchanged", () => {
    expect(manifestProblems(good)).toEqual([]);
    const p = write("good.manifest.json", JSON.stringify(good));
    expect(readManifest(p)).toEqual(good);
  });

  test("it carries what the runtime decodes with: tags, layouts, env, line map, skipped probes", () => {
    expect(good.events.map((e) => [e.name, e.tag])).toEqual([
      ["filterChain", 1],
      ["wakeEnd", 2],
    ]);
    expect(good.events[1].span).toEqual({ name: "wake", phase: "end" });
    expect(good.bpftraceEnv).toEqual({ BPFTRACE_STRLEN: "121" });
    expect(good.lineMap.length).toBeGreaterThan(5);
    expect(good.probes.find((p) => p.id === "p3")?.skipped).toContain("Envoy::Gone::since128");
    expect(good.warnings.map((w) => w.code)).toEqual([9304]);
  });

  test("unknown extra properties from a newer probec are tolerated", () => {
    expect(manifestProblems({ ...good, futureField: { x: 1 } })).toEqual([]);
  });
});

describe("corrupted manifests are rejected with the file, the property and the reason", () => {
  const cases: [string, (m: any) => void, RegExp][] = [
    ["a missing events list", (m) => delete m.events, /\(top level\): must have required property 'events'/],
    ["an event tag that is a string", (m) => (m.events[0].tag = "1"), /\/events\/0\/tag: must be integer/],
    ["an unknown slot kind in a layout", (m) => (m.events[0].layout.lines[0].slots[0] = { kind: "bogus" }), /\/events\/0\/layout\/lines\/0\/slots\/0/],
    ["a negative symbol address", (m) => (m.probes[1].symbols[0].address = -5), /\/probes\/1\/symbols\/0\/address: must be >= 0/],
    ["a bad architecture", (m) => (m.binaries[0].arch = "mips"), /\/binaries\/0\/arch: must be equal to one of the allowed values/],
    ["a non-string env value", (m) => (m.bpftraceEnv.BPFTRACE_STRLEN = 121), /\/bpftraceEnv\/BPFTRACE_STRLEN: must be string/],
  ];
  test.each(cases)("%s", (_name, corrupt, expected) => {
    const m = structuredClone(good);
    corrupt(m);
    const p = write("bad.manifest.json", JSON.stringify(m));
    let err: unknown;
    try {
      readManifest(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ManifestError);
    const e = err as ManifestError;
    expect(e.message).toContain(`${p}: not a valid probec manifest`);
    expect(e.problems.join("\n")).toMatch(expected);
  });

  test("another manifest version says to rebuild", () => {
    expect(() => assertManifest({ ...good, manifestVersion: 2 }, "x.json")).toThrow(/manifest version 2 is not supported .* rebuild the probe/);
  });

  test("truncated JSON", () => {
    const p = write("cut.manifest.json", JSON.stringify(good).slice(0, 100));
    expect(() => readManifest(p)).toThrow(new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not JSON`));
  });

  test("a missing file", () => {
    expect(() => readManifest(join(dir, "nope.json"))).toThrow(/cannot read manifest .*nope.json: no such file/);
  });
});
