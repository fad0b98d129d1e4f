// The IR the front end produces is valid against the ProbeProgram JSON Schema (ajv), and the
// schema rejects what a stage must never see.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compileProbeFile } from "../../../compiler/frontend/index.js";
import { programProblems } from "../../../compiler/ir/schema-program.js";
import { fixture, repoRoot } from "./helpers.js";

const files = [
  ...readdirSync(join(repoRoot, "examples/envoy")).filter((f) => f.endsWith(".probe.ts")).map((f) => join(repoRoot, "examples/envoy", f)),
  fixture("basic.probe.ts"),
  fixture("composed.probe.ts"),
];

describe("ProbeProgram JSON Schema", () => {
  test.each(files)("the IR of %s validates", (file) => {
    const { program } = compileProbeFile(file, { cwd: repoRoot });
    expect(program).not.toBeNull();
    expect(programProblems(JSON.parse(JSON.stringify(program)))).toEqual([]);
  });

  test("the seed port with kprobes validates too", () => {
    const { program } = compileProbeFile(join(repoRoot, "examples/envoy/accept-flow.probe.ts"), { defines: { kprobes: "true" } });
    expect(programProblems(program)).toEqual([]);
  });

  test("rejects an unknown statement kind, a bad map name and a missing location", () => {
    const { program } = compileProbeFile(fixture("basic.probe.ts"));
    const bad = JSON.parse(JSON.stringify(program));
    bad.probes[0].body.push({ kind: "loop", loc: bad.probes[0].loc });
    expect(programProblems(bad).length).toBeGreaterThan(0);
    const badMap = JSON.parse(JSON.stringify(program));
    badMap.maps[0].name = "fd 2 sock";
    expect(programProblems(badMap).join("\n")).toContain("/maps/0/name");
    const noLoc = JSON.parse(JSON.stringify(program));
    delete noLoc.probes[0].loc;
    expect(programProblems(noLoc).join("\n")).toContain("loc");
  });
});
