import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { CODE_BLOCKS, createDiagnostic, formatDiagnostic, formatDiagnostics, hasErrors, noSymbolMatch, unsupportedStatement } from "../../../compiler/diagnostics/index.js";
import { compileSource } from "../frontend/helpers.js";

const source = ["const a = 1;", "for (const x of y) {", "  call();", "}"].join("\n");
const sources = new Map([["probe.probe.ts", source]]);

describe("formatting like tsc --pretty", () => {
  test("header, blank line, the source line and a ~~~ underline under the span", () => {
    const d = unsupportedStatement({ file: "probe.probe.ts", line: 2, column: 1, length: 3 }, "A `for…of` loop");
    expect(formatDiagnostic(d, { sources })).toBe(
      [
        "probe.probe.ts:2:1 - error PC9101: A `for…of` loop cannot be lowered to bpftrace.",
        "",
        "2 for (const x of y) {",
        "  ~~~",
      ].join("\n"),
    );
  });

  test("the underline starts at the column and never runs past the line", () => {
    const d = createDiagnostic(9999, "m", { file: "probe.probe.ts", line: 3, column: 3, length: 500 });
    const frame = formatDiagnostic(d, { sources }).split("\n");
    expect(frame[3]).toBe("    " + "~".repeat("call();".length));
  });

  test("TypeScript's own codes print as TSxxxx, warnings as warning", () => {
    const text = formatDiagnostic({ category: "warning", code: 2322, source: "ts", message: "m", loc: { file: "probe.probe.ts", line: 1, column: 7 }, length: 1 }, { sources });
    expect(text.split("\n")[0]).toBe("probe.probe.ts:1:7 - warning TS2322: m");
  });

  test("colours when asked (cyan file, yellow position, red error, inverse gutter)", () => {
    const text = formatDiagnostic(createDiagnostic(9101, "m", { file: "probe.probe.ts", line: 1, column: 1 }), { sources, color: true });
    expect(text).toContain("\x1b[96mprobe.probe.ts\x1b[0m:\x1b[93m1\x1b[0m:\x1b[93m1\x1b[0m - \x1b[91merror\x1b[0m");
    expect(text).toContain("\x1b[7m1\x1b[0m const a = 1;");
  });

  test("a diagnostic without a place, notes, and the closing count", () => {
    const d = noSymbolMatch({ file: "probe.probe.ts", line: 1, column: 1 }, "A::b", "envoy", ["A::c()", "A::bb()"]);
    const text = formatDiagnostics([createDiagnostic(9601, "Cannot write 'x'."), d], { sources });
    expect(text).toContain("error PC9601: Cannot write 'x'.\n");
    expect(text).toContain("  nearest candidates:\n    A::c()\n    A::bb()\n");
    expect(text.endsWith("\nFound 2 errors.\n")).toBe(true);
  });

  test("paths print relative to cwd, and unreadable files print without a frame", () => {
    const d = createDiagnostic(9101, "m", { file: "/nonexistent/dir/x.probe.ts", line: 1, column: 1 });
    expect(formatDiagnostic(d, { cwd: "/nonexistent" })).toBe("dir/x.probe.ts:1:1 - error PC9101: m");
  });

  test("a warning alone does not count as an error", () => {
    const w = createDiagnostic(9129, "m", undefined, { category: "warning" });
    expect(hasErrors([w])).toBe(false);
    expect(formatDiagnostics([w])).toBe("warning PC9129: m\n");
  });

  test("tsc's errors from the front end print with their code frame", () => {
    const r = compileSource(`import { tracepoint, printf } from "probec";\ntracepoint("syscalls:sys_exit_accept4", (t) => printf("%d", t.args.rett));\n`);
    const text = formatDiagnostics(r.diagnostics, { sources: r.sources });
    expect(text).toContain("probe.probe.ts:2:68 - error TS2551: Property 'rett' does not exist");
    expect(text).toContain("2 tracepoint(");
    expect(text).toMatch(/\n {69}~~~~\n/);
  });
});

describe("the factories", () => {
  const text = readFileSync(new URL("../../../compiler/diagnostics/messages.ts", import.meta.url), "utf8");
  const codes = [...text.matchAll(/createDiagnostic\(\s*(\d{4})/g)].map((m) => Number(m[1]));

  test("every code is used by exactly one factory", () => {
    expect(codes.length).toBeGreaterThan(40);
    expect(new Set(codes).size).toBe(codes.length);
  });

  test("every code lies in a stage's block", () => {
    const blocks = Object.values(CODE_BLOCKS);
    for (const c of codes) expect(blocks.some(([lo, hi]) => c >= lo && c <= hi), `code ${c}`).toBe(true);
  });

  test("createDiagnostic keeps the place, the length and the category", () => {
    const d = createDiagnostic(9401, "m", { file: "f.probe.ts", line: 3, column: 9, length: 4 }, { category: "warning" });
    expect(d).toEqual({ category: "warning", code: 9401, source: "probec", message: "m", loc: { file: "f.probe.ts", line: 3, column: 9 }, length: 4 });
  });
});
