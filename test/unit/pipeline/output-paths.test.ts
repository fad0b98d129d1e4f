// `probec build NAME.probe.ts` with no -o writes NAME.bt and NAME.manifest.json next to the input,
// whatever way the path is written (issue 11: `gc.probe.ts` used to give `c.bt`).
import { describe, expect, it } from "vitest";
import { outputPathsFor } from "../../../compiler/pipeline/output-paths.js";

describe("output paths of probec build", () => {
  it.each([
    ["gc.probe.ts", "gc.bt", "gc.manifest.json"],
    ["alloc.probe.ts", "alloc.bt", "alloc.manifest.json"],
    ["x.probe.ts", "x.bt", "x.manifest.json"],
    ["./gc.probe.ts", "gc.bt", "gc.manifest.json"],
    ["/abs/dir/gc.probe.ts", "/abs/dir/gc.bt", "/abs/dir/gc.manifest.json"],
    ["nested/deeper/gc.probe.ts", "nested/deeper/gc.bt", "nested/deeper/gc.manifest.json"],
    ["foo.ts", "foo.bt", "foo.manifest.json"],
    ["dir.with.dots/a.b.probe.ts", "dir.with.dots/a.b.bt", "dir.with.dots/a.b.manifest.json"],
  ])("%s → %s + %s", (input, script, manifest) => {
    expect(outputPathsFor(input)).toEqual({ script, manifest });
  });

  it("-o OUT names both files, with or without .bt", () => {
    expect(outputPathsFor("gc.probe.ts", "out/trace.bt")).toEqual({ script: "out/trace.bt", manifest: "out/trace.manifest.json" });
    expect(outputPathsFor("gc.probe.ts", "out/trace")).toEqual({ script: "out/trace.bt", manifest: "out/trace.manifest.json" });
  });
});
