// Integer parameters have one spelling rule, applied by `probec build --param`, `--define` of an
// option.int and `probec run --param`: what build accepts, run accepts, and bpftrace is given the
// decimal value (it would read `010` as octal 8 and is never given the text as typed).
import { describe, expect, it } from "vitest";
import type { ParamDecl } from "../../../compiler/ir/program.js";
import { applyParams } from "../../../compiler/pipeline/manifest-builder.js";
import { positionalParams } from "../../../runtime/process/bpftrace-argv.js";
import { RunError } from "../../../runtime/run-error.js";

const decl: ParamDecl[] = [{ name: "P", kind: "int", position: 1 }];

function build(value: string): { ok: boolean; codes: number[]; params: ParamDecl[] } {
  const r = applyParams(decl, new Map([["P", value]]));
  return { ok: r.diagnostics.length === 0, codes: r.diagnostics.map((d) => d.code), params: r.params };
}

function run(params: ParamDecl[], given: Record<string, string> = {}): { ok: true; args: string[] } | { ok: false; code: number } {
  try {
    return { ok: true, args: positionalParams({ params }, given) };
  } catch (err) {
    if (err instanceof RunError) return { ok: false, code: err.code };
    throw err;
  }
}

describe("integer --param values", () => {
  it("build --param P=0x10 succeeds and run then passes 16 to bpftrace (it used to fail with PC9656)", () => {
    const b = build("0x10");
    expect(b).toMatchObject({ ok: true, codes: [] });
    expect(run(b.params)).toEqual({ ok: true, args: ["16"] });
    expect(run(decl, { P: "0x10" })).toEqual({ ok: true, args: ["16"] });
  });

  it.each([
    ["42", "42"],
    ["-7", "-7"],
    ["0x10", "16"],
    ["0XfF", "255"],
    ["-0x10", "-16"],
    ["010", "10"],
    ["18446744073709551615", "18446744073709551615"],
    ["-9223372036854775808", "-9223372036854775808"],
  ])("accepts %s in build and run alike, bpftrace gets %s", (value, arg) => {
    const b = build(value);
    expect(b.ok).toBe(true);
    expect(run(b.params)).toEqual({ ok: true, args: [arg] });
    expect(run(decl, { P: value })).toEqual({ ok: true, args: [arg] });
  });

  it.each(["12x", "0x", "1.5", "", "1e3", "0b101", "+3", "18446744073709551616", "-9223372036854775809"])(
    "rejects %j in build (PC9613) and run (PC9656) alike",
    (value) => {
      expect(build(value)).toMatchObject({ ok: false, codes: [9613] });
      expect(run(decl, { P: value })).toEqual({ ok: false, code: 9656 });
    },
  );
});
