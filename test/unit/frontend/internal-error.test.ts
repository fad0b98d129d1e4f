// A bug inside the front end becomes a diagnostic at the statement being compiled, not a crash.
import { describe, expect, test } from "vitest";
import { Evaluator } from "../../../compiler/frontend/evaluator.js";
import { loadProbeProgram } from "../../../compiler/frontend/load.js";
import { ProgramBuilder } from "../../../compiler/frontend/program-builder.js";
import { makeSpanOf } from "../../../compiler/frontend/source-loc.js";
import { fixture } from "./helpers.js";

describe("internal errors", () => {
  test("an exception while compiling a statement is reported as PC9199 at that statement", () => {
    const spanOf = makeSpanOf((f) => f);
    const loaded = loadProbeProgram(fixture("basic.probe.ts"), spanOf);
    const ev = new Evaluator(loaded.checker, new ProgramBuilder("basic.probe.ts"), spanOf, loaded.dslDir, { defines: {} });
    const stmt = loaded.entry.statements[2]!;
    ev.guard(() => {
      throw new Error("boom");
    }, stmt);
    expect(ev.diagnostics).toHaveLength(1);
    expect(ev.diagnostics[0]).toMatchObject({ code: 9199, category: "error", loc: { line: 4, column: 1 } });
    expect(ev.diagnostics[0]!.message).toContain("boom");
  });
});
