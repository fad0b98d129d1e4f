// Golden tests: hand-made resolved IR in, exact bpftrace text out, for 0.17 and the newest syntax.
// The expected scripts live in golden/*.bt (reviewed by hand; 0.17 ones were also loaded into the
// real bpftrace by test/e2e/build-verifier.test.ts). UPDATE_GOLDEN=1 rewrites them after a change.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { generateScript, parseBpftraceTarget } from "../../../compiler/backend/index.js";
import type { ResolvedProgram } from "../../../compiler/ir/program.js";
import { statementsProgram, uprobesProgram } from "./ir-samples.js";

const here = dirname(fileURLToPath(import.meta.url));

function scriptFor(program: ResolvedProgram, version: string): string {
  const r = generateScript(program, { target: parseBpftraceTarget(version), probecVersion: "0.1.0" });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join("\n"));
  return r.script.text;
}

function expectGolden(name: string, actual: string): void {
  const file = join(here, "golden", name);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) {
    if (process.env.CI === "true") throw new Error(`golden ${name} is missing`);
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, "utf8"));
}

describe.each(["0.17", "0.26"])("bpftrace %s", (version) => {
  test("statements, maps, params, BEGIN/END", () => {
    expectGolden(`statements.${version}.bt`, scriptFor(statementsProgram(), version));
  });
  test("uprobes, uretprobes, emit, optional points, interval", () => {
    expectGolden(`uprobes.${version}.bt`, scriptFor(uprobesProgram(), version));
  });
});

describe("differences between versions", () => {
  test("tracepoint arguments: args->f on 0.17, args.f from 0.21", () => {
    expect(scriptFor(statementsProgram(), "0.17")).toContain("$fd = args->fd;");
    expect(scriptFor(statementsProgram(), "0.20")).toContain("$fd = args->fd;");
    expect(scriptFor(statementsProgram(), "0.21")).toContain("$fd = args.fd;");
  });
  test("str(p, n) copies n characters before 0.23 and n-1 from 0.23", () => {
    expect(scriptFor(uprobesProgram(), "0.22")).toContain('str(reg("si"), reg("dx") < 120 ? reg("dx") : 120)');
    expect(scriptFor(uprobesProgram(), "0.23")).toContain('str(reg("si"), (reg("dx") < 120 ? reg("dx") : 120) + 1)');
  });
  test("stored integer literals get an explicit cast from 0.26 only", () => {
    expect(scriptFor(uprobesProgram(), "0.25")).toContain("@fired[tid] = 1;");
    expect(scriptFor(uprobesProgram(), "0.26")).toContain("@fired[tid] = (int64)1;");
    // A literal compared with a value stays bare: the comparison types it.
    expect(scriptFor(statementsProgram(), "0.26")).toContain("} else if ($fd > 100) {");
  });
});
