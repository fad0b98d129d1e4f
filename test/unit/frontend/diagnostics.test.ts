// One test per front-end diagnostic: feed the bad input, assert the code and where it points.
// `/*@*/` in a source marks the expected line:col (the position right after the marker).
import { describe, expect, test } from "vitest";
import { compileProbeFile } from "../../../compiler/frontend/index.js";
import { compileSource, compileSources, repoRoot, where } from "./helpers.js";

const HEADER = `import * as p from "probec";
import { binary, param, option, map, perThread, count, uprobe, uretprobe, tracepoint, kprobe, interval, begin, emit, events, printf, ustack, pid, comm, retval } from "probec";
import type { i32, u8, u64 } from "probec";
const envoy = binary("envoy");
`;

/** Line:col right after the first `/*@*\/` marker, counting the header. */
function marker(src: string): string {
  const text = HEADER + src;
  const at = text.indexOf("/*@*/");
  if (at < 0) throw new Error("test source has no marker");
  const before = text.slice(0, at + 5);
  const line = before.split("\n").length;
  const column = at + 5 - before.lastIndexOf("\n");
  return `${line}:${column}`;
}

interface Case {
  code: number;
  what: string;
  src: string;
  defines?: Record<string, string>;
  category?: "error" | "warning";
}

const cases: Case[] = [
  { code: 9101, what: "a for loop in a handler", src: `begin(() => { /*@*/for (let i = 0; i < 3; i++) printf("x"); });` },
  { code: 9101, what: "a while loop in a handler", src: `begin(() => { /*@*/while (true) printf("x"); });` },
  { code: 9101, what: "try/catch in a handler", src: `begin(() => { /*@*/try { printf("x"); } catch { printf("y"); } });` },
  { code: 9101, what: "switch in a handler", src: `tracepoint("syscalls:sys_exit_close", (t) => { /*@*/switch (t.args.ret) { default: printf("x"); } });` },
  { code: 9102, what: "new in a handler", src: `begin(() => { const a = /*@*/new Array(3); });` },
  { code: 9102, what: "optional chaining", src: `const o = { a: { b: 1 } } as { a?: { b: number } };\nbegin(() => { printf("%d", /*@*/o.a?.b); });` },
  { code: 9103, what: "calling a user function in a handler", src: `function helper() { return 1; }\nbegin(() => { printf("%d", /*@*/helper()); });` },
  { code: 9104, what: "a closure in a handler", src: `begin(() => { const g = /*@*/() => 1; });` },
  { code: 9106, what: "an unknown method of an argument reader", src: `uprobe(envoy.fn("A::b"), (f) => { const r = f.arg(0) as any; printf("%d", r./*@*/foo()); });` },
  { code: 9106, what: "an array method in a handler", src: `begin(() => { const a = [1, 2]; printf("%d", a./*@*/map((x) => x)); });` },
  { code: 9107, what: "a run-time argument position", src: `uprobe(envoy.fn("A::b"), (f) => { const i = f.arg(0).int(); printf("%d", f.arg(/*@*/i).int()); });` },
  { code: 9108, what: "an unknown tracepoint", src: `tracepoint(/*@*/"syscalls:sys_exit_acept4", (t) => { printf("x"); });` },
  { code: 9109, what: "an unknown field of a tracefs-only tracepoint", src: `tracepoint("sched:sched_switch", (t) => { printf("%d", t.args./*@*/nope); });` },
  { code: 9110, what: "a destructured handler parameter", src: `tracepoint("syscalls:sys_exit_close", (/*@*/{ args }) => { printf("%d", args.ret); });` },
  { code: 9111, what: "a fractional number", src: `begin(() => { printf("%d", /*@*/1.5); });` },
  { code: 9112, what: "a variable without initial value", src: `begin(() => { let /*@*/x: number; x = 1; });` },
  { code: 9113, what: "assigning a module variable in a handler", src: `let g = 0;\nbegin(() => { /*@*/g = 1; });` },
  { code: 9114, what: "one event emitted with two shapes", src: `begin(() => { emit("e", { a: 1 }); /*@*/emit("e", { b: 1 }); });` },
  { code: 9115, what: "a parameter declared with two kinds", src: `const a = param.int("P");\nconst b = /*@*/param.str("P");` },
  { code: 9117, what: "a filter with statements", src: `begin(() => {});\ntracepoint("syscalls:sys_exit_close", { when: /*@*/() => { printf("x"); return true; } }, (t) => { printf("y"); });` },
  { code: 9118, what: "a recursive library function", src: `function again(): void { /*@*/again(); }\nagain();` },
  { code: 9119, what: "a handler-only function at top level", src: `const s = /*@*/ustack();` },
  { code: 9119, what: "a builtin at top level", src: `const x = /*@*/pid + 1;` },
  { code: 9120, what: "retval in a uprobe", src: `uprobe(envoy.fn("A::b"), (f) => { printf("%d", /*@*/retval); });` },
  { code: 9122, what: "ordering strings", src: `begin(() => { if (comm /*@*/< "m") printf("x"); });` },
  { code: 9123, what: "a zero period", src: `interval(/*@*/"0s", () => { printf("x"); });` },
  { code: 9125, what: "a map of functions", src: `const m = map<i32, /*@*/() => void>();` },
  { code: 9126, what: "returning a value from a handler", src: `begin(() => { /*@*/return 1; });` },
  { code: 9129, what: "an expression without effect (warning)", src: `tracepoint("syscalls:sys_exit_close", (t) => /*@*/t.args.ret);`, category: "warning" },
  { code: 9130, what: "printf with too few arguments", src: `begin(() => { /*@*/printf("%d %s\\n", 1); });` },
  { code: 9131, what: "the ** operator", src: `tracepoint("syscalls:sys_exit_close", (t) => { printf("%d", t.args.ret /*@*/** 2); });` },
  { code: 9131, what: "the ?? operator", src: `const o = { a: 1 } as { a?: number };\nbegin(() => { printf("%d", o.a /*@*/?? 2); });` },
  { code: 9132, what: "declaring a map inside a handler", src: `begin(() => { const m = /*@*/map<i32, i32>(); });` },
  { code: 9133, what: "a loop at top level", src: `/*@*/while (false) {}` },
  { code: 9106, what: "an array method at build time", src: `const names = ["a", "b"].join(",");\nconst more = [1].concat([2]).length;\nconst x = [1, 2]./*@*/forEach((n) => n);` },
  { code: 9106, what: "a string method at build time", src: `const x = "abc"./*@*/toUpperCase();` },
  { code: 9133, what: "a class at top level", src: `/*@*/class X {}` },
  { code: 9134, what: "a global the DSL does not provide", src: `begin(() => { printf("%d", /*@*/Math.max(1, 2)); });` },
  { code: 9135, what: "a map key of the wrong shape", src: `const m = map<[i32, i32], u8>();\nbegin(() => { (m as any).set(/*@*/1, 1); });` },
  { code: 9136, what: "an event name that is not an identifier", src: `begin(() => { emit(/*@*/"bad name", {}); });` },
  { code: 9137, what: "a point without patterns", src: `uprobe(/*@*/envoy.fn([]), (f) => { printf("x"); });` },
  { code: 9138, what: "an unknown member of a context", src: `uprobe(envoy.fn("A::b"), (f) => { printf("%d", (f as any)./*@*/foo); });` },
  { code: 9140, what: "a top-level if on a run-time value", src: `const p1 = param.int("P");\nif (/*@*/p1 === 1) begin(() => {});` },
  { code: 9141, what: "a printf format that is not a literal", src: `begin(() => { printf(/*@*/comm); });` },
  { code: 9142, what: "begin() on an event that is not a span", src: `const ev = events<{ x: { a: i32 } }>();\nbegin(() => { (ev.x as any)./*@*/begin({ a: 1 }); });` },
  { code: 9143, what: "storing a context in an event", src: `uprobe(envoy.fn("A::b"), (f) => { emit("e", { c: /*@*/f }); });` },
  { code: 9150, what: "an integer literal above 64 bits", src: `begin(() => { printf("%d", /*@*/18446744073709551616); });` },
  { code: 9151, what: "a constant that overflows 64 bits", src: `begin(() => { printf("%d", /*@*/(1 << 62) * 8); });` },
  { code: 9152, what: "a constant shift count of 64 or more (1 << 70)", src: `begin(() => { printf("%d", 1 << /*@*/70); });` },
  { code: 9152, what: "a negative constant shift count of a run-time value", src: `begin(() => { printf("%d", pid >> /*@*/-1); });` },
  { code: 9153, what: "a division of a run-time value by a constant 0", src: `begin(() => { printf("%d", pid % /*@*/(3 - 3)); });` },
  { code: 9154, what: "a build-time filter() with a run-time predicate", src: `const P = param.int("P");\nconst xs = [1, 2, 3].filter(/*@*/(x) => x === P);` },
  { code: 9004, what: "a bad --define value", src: `const k = /*@*/option.bool("kprobes", false);`, defines: { kprobes: "maybe" } },
];

describe("front-end diagnostics", () => {
  test.each(cases)("PC$code: $what", ({ code, src, defines, category }) => {
    const r = compileSource(HEADER + src, defines ? { defines } : {});
    const found = r.diagnostics.filter((d) => d.source === "probec" && d.code === code);
    expect(found, JSON.stringify(r.diagnostics.map((d) => [d.code, d.message]))).toHaveLength(1);
    const d = found[0]!;
    expect(`${d.loc?.line}:${d.loc?.column}`).toBe(marker(src));
    expect(d.loc?.file).toBe("probe.probe.ts");
    expect(d.category).toBe(category ?? "error");
    if ((category ?? "error") === "error") expect(r.program).toBeNull();
    else expect(r.program).not.toBeNull();
  });

  test("PC9001: a missing probe file", () => {
    const r = compileProbeFile("/nonexistent/x.probe.ts");
    expect(r.program).toBeNull();
    expect(where(r)).toEqual(["PC9001@-"]);
  });

  test("PC9002: a path that is not a readable file", () => {
    const r = compileProbeFile(repoRoot);
    expect(r.program).toBeNull();
    expect(where(r)).toEqual(["PC9002@-"]);
  });

  test("PC9003: a --define no option() reads", () => {
    const r = compileSource(HEADER + `const k = option.bool("kprobes", false);`, { defines: { kprobe: "true" } });
    expect(where(r)).toEqual(["PC9003@-"]);
    expect(r.diagnostics[0]!.message).toContain("'kprobes'");
  });

  test("PC9127: a circular import between probe modules", () => {
    const r = compileSources({
      "a.probe.ts": `import { b } from "./b.js";\nexport const a = 1 + b;\n`,
      "b.ts": `import { a } from "./a.probe.js";\nexport const b = 2;\nexport const c = a;\n`,
    });
    const d = r.diagnostics.find((x) => x.code === 9127);
    expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(d!.loc?.file).toBe("b.ts");
    expect(r.program).toBeNull();
  });

  test("PC9139 follows tsc's own errors, and nothing is lowered", () => {
    const r = compileSource(HEADER + `tracepoint("syscalls:sys_exit_accept4", (t) => { printf("%d", t.args.fdd); });`);
    expect(where(r)).toEqual(["TS2339@5:70", "PC9139@-"]);
    expect(r.diagnostics[0]!.message).toContain("fdd");
    expect(r.program).toBeNull();
  });

  test("an async handler is PC9105 at `async`, not TypeScript's advice to add ES2015's Promise (TS2468/TS2705)", () => {
    const r = compileSource(HEADER + `begin(async () => { await 1; printf("x"); });\nuprobe(envoy.fn("A::b"), async function (f) { printf("y"); });`);
    expect(r.program).toBeNull();
    expect(where(r)).toEqual(["PC9105@5:7", "PC9105@6:26"]);
  });

  test("a declaration that failed is reported once, not again at each use", () => {
    const r = compileSource(HEADER + `const m = map<i32, () => void>();\nbegin(() => { m.clear(); });\ntracepoint("syscalls:sys_enter_close", () => { m.clear(); });\n`);
    expect(where(r)).toEqual(["PC9125@5:20"]);
  });

  test("a handler local that failed is reported once", () => {
    const r = compileSource(HEADER + `begin(() => {\n  const x = 1.5;\n  printf("%d", x + 1);\n});\n`);
    expect(where(r)).toEqual(["PC9111@6:13"]);
  });

  test("several errors in one file are all reported, each at its place", () => {
    const r = compileSource(HEADER + `begin(() => {\n  for (;;) {}\n  printf("%d", 1.5);\n});\nconst s = ustack();\n`);
    expect(where(r)).toEqual(["PC9101@6:3", "PC9111@7:16", "PC9119@9:11"]);
  });
});
