// The differential test of docs/expressions.md: thousands of random handler expressions over typed
// locals and literals, compiled by probec's real pipeline (a generated .probe.ts with one begin()
// handler) and computed by the real bpftrace 0.17, each value compared with the reference of the
// document (expression-semantics.ts). The locals are read from a map, so LLVM cannot fold them and
// bpftrace computes at run time. PROBEC_DIFF_SEED=N reproduces a run; the seed is in every failure.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostics } from "../../compiler/diagnostics/index.js";
import type { Manifest } from "../../compiler/ir/manifest.js";
import { buildFile } from "../../compiler/pipeline/index.js";
import { requireBpftrace } from "./harness.js";
import { binary, ExpressionGenerator, inputValue, LOCAL_TYPES, logical, prng, unary, wrap, type Gen, type Local, type RV } from "./expression-semantics.js";

const SEED = Number(process.env.PROBEC_DIFF_SEED ?? 20261205);
const EXPRESSIONS = Number(process.env.PROBEC_DIFF_COUNT ?? 2400);
// bpftrace allows one BEGIN per script, and 0.17 does not reuse the BPF stack between print()s:
// about a dozen prints of a dozen values fit in 512 bytes. 8 × 12 per script loads in ~0.7 s.
const PER_EVENT = 12;
const PER_SCRIPT = Number(process.env.PROBEC_DIFF_PER_SCRIPT ?? 4 * PER_EVENT);
const PARALLEL = 2;
const DEPTH = 3;

interface Case {
  id: number;
  gen: Gen & { value: RV };
  locals: Local[];
}

/**
 * Regression cases, built with the reference's own operations over the first chunk's locals
 * (a: i8, b: u8, c: i16, d: u16, e: i32, f: u32, g: i64, h: u64): the bugs this test was written
 * for, and the differences found while writing it, each fixed in probec or in the reference.
 */
function regressions(locals: Local[]): (Gen & { value: RV })[] {
  const L = (name: string): Gen => {
    const l = locals.find((x) => x.name === name)!;
    return { src: name, kind: "num", value: { v: l.value, t: l.t, constant: false } };
  };
  const N = (src: string, v: bigint): Gen => ({ src, kind: "num", value: { v: BigInt.asIntN(64, v), t: { bits: 64, signed: true }, constant: true } });
  const B = (op: string, x: Gen, y: Gen): Gen => ({ src: `(${x.src} ${op === "==" ? "===" : op === "!=" ? "!==" : op} ${y.src})`, kind: "num", value: x.value && y.value && binary(op, x.value, y.value) });
  const U = (op: "-" | "~" | "!", x: Gen): Gen => ({ src: `${op}(${x.src})`, kind: "num", value: x.value && unary(op, x.value) });
  const A = (op: "&&" | "||", x: Gen, y: Gen): Gen => ({ src: `(${x.src} ${op} ${y.src})`, kind: "num", value: x.value && y.value && logical(op, x.value, y.value) });
  const cases = [
    U("-", U("-", L("a"))), // printed as --$a (a decrement) before the printer parenthesised unary operands
    U("-", U("-", L("f"))),
    U("-", N("(-5)", -5n)), // a negative literal under a minus
    B("+", N("0x1234567890abcdef", 0x1234567890abcdefn), L("b")), // a literal above 2^53, once rounded
    B("+", N("0xffffffffffffffff", -1n), L("h")), // 2^64−1 is the pattern of −1
    B(">>", L("a"), N("1", 1n)), // `>>` is logical in 0.17, even on a signed value
    B("/", N("(-7)", -7n), L("e")), // division is unsigned
    B("/", N("(-7)", -7n), N("2", 2n)), // …and folding agrees
    B("%", L("g"), B("-", L("c"), L("c"))), // x % 0 is x at run time (BPF)
    B("/", L("h"), B("-", L("c"), L("c"))), // x / 0 is 0
    B("<<", N("1", 1n), B("+", L("b"), N("64", 64n))), // a run-time shift count is taken modulo 64
    U("-", L("b")), // unary minus keeps the operand's type (u8)
    U("~", L("f")),
    B("==", B("<", L("a"), L("b")), B(">", L("c"), L("d"))), // comparison results: int64 0/1 on both sides
    A("&&", L("e"), N("7", 7n)), // && gives 0/1 in a handler, not JavaScript's operand
    A("||", B("-", N("3", 3n), N("3", 3n)), L("h")), // a constant left side that does not decide
    A("&&", B("-", N("3", 3n), N("3", 3n)), L("h")), // …and one that does
    B("<", L("a"), L("h")), // mixed signedness compares unsigned
    B("*", L("f"), L("f")), // products are 64-bit, u32 × u32 does not wrap at 32
    B("<", B("<<", L("c"), L("f")), N("0", 0n)), // a shift keeps its left operand's signedness (found by this test)
    B("<", B(">>", L("e"), L("d")), N("0", 0n)),
    B("<<", L("a"), B("^", L("d"), N("0xff", 0xffn))), // a count LLVM can prove ≥ 64 without the mask (found by this test)
    B("/", L("e"), B("&", L("b"), N("0", 0n))), // a divisor LLVM can prove 0 (found by this test)
  ];
  return cases.map((c) => {
    if (!c.value) throw new Error(`regression case ${c.src} is refused by the reference`);
    return { ...c, kind: c.value.t === "bool" ? "bool" : "num", value: c.value };
  });
}

/** The .probe.ts for a chunk: inputs stored in a map (opaque to LLVM), typed locals, one emit per group. */
function probeSource(locals: (Local & { input: bigint; typeName: string })[], cases: Case[]): string {
  const lines = [
    `import { begin, map, emit } from "probec";`,
    `import type { i8, u8, i16, u16, i32, u32, i64, u64 } from "probec";`,
    `const inputs = map<u64, i64>();`,
    `begin(() => {`,
  ];
  locals.forEach((l, i) => lines.push(`  inputs.set(${i}, ${l.input < 0n ? `-${-l.input}` : l.input});`));
  locals.forEach((l, i) => lines.push(`  let ${l.name}: ${l.typeName} = inputs.get(${i});`));
  for (let g = 0; g * PER_EVENT < cases.length; g++) {
    const group = cases.slice(g * PER_EVENT, (g + 1) * PER_EVENT);
    lines.push(`  emit("g${g}", { ${group.map((c, i) => `e${i}: ${c.gen.src}`).join(", ")} });`);
  }
  lines.push(`});`, ``);
  return lines.join("\n");
}

/** The integers of a `-f json` value line, exactly (JSON.parse would round those above 2^53). */
function valueLine(line: string): (bigint | string)[] | null {
  const m = /^\{"type": ?"value", ?"data": ?\[(.*)\]\}$/.exec(line);
  if (!m) return null;
  const out: (bigint | string)[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+))\s*,?/gy;
  for (let t; (t = re.exec(m[1]!)); ) out.push(t[1] !== undefined ? t[1] : BigInt(t[2]!));
  return out;
}

function runBpftrace(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "probec-diff-"));
  const file = join(dir, "diff.bt");
  writeFileSync(file, exitAtEndOfBegin(script));
  return new Promise((resolve, reject) => {
    const child = spawn("bpftrace", ["-f", "json", file], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("latin1")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("latin1")));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `exit();` as the last statement of BEGIN: at its start, bpftrace would stop before the prints are read. */
function exitAtEndOfBegin(script: string): string {
  const begin = /^BEGIN\n\{\n/m.exec(script);
  if (!begin) throw new Error("the generated script has no BEGIN block");
  const end = script.indexOf("\n}\n", begin.index);
  return `${script.slice(0, end)}\n    exit();${script.slice(end)}`;
}

const availability = requireBpftrace();

describe.skipIf(!availability.ok)("expression semantics: probec + bpftrace 0.17 against the documented reference", () => {
  const chunks: { locals: (Local & { input: bigint; typeName: string })[]; cases: Case[] }[] = [];
  beforeAll(() => {
    const rand = prng(SEED);
    let id = 0;
    for (let made = 0; made < EXPRESSIONS; ) {
      // Each chunk has its own local values, so the expressions see many inputs.
      const locals = LOCAL_TYPES.map((lt, i) => {
        const input = inputValue(rand);
        return { name: "abcdefgh"[i]!, t: lt.t, typeName: lt.name, input, value: wrap(input, lt.t) };
      });
      const gen = new ExpressionGenerator(rand, locals);
      const cases: Case[] = [];
      if (chunks.length === 0) {
        // The regression cases first, evaluated by the same reference.
        for (const r of regressions(locals)) cases.push({ id: id++, gen: r, locals });
      }
      while (cases.length < PER_SCRIPT && made + cases.length < EXPRESSIONS + 20) cases.push({ id: id++, gen: gen.next(DEPTH), locals });
      made += cases.length;
      chunks.push({ locals, cases });
    }
  });

  it(`computes ${EXPRESSIONS}+ generated expressions exactly as documented (seed ${SEED})`, async () => {
    let compared = 0;
    const differences: string[] = [];
    const compare = (n: number, manifest: Manifest, stdout: string) => {
      const chunk = chunks[n]!;
      const rows = stdout.split("\n").map(valueLine).filter((r): r is (bigint | string)[] => r !== null);
      const byTag = new Map(manifest.events.map((e) => [e.tag, e]));
      for (const row of rows) {
        const event = byTag.get(Number(row[0]));
        if (!event || !/^g\d+$/.test(event.name)) continue;
        const g = Number(event.name.slice(1));
        const values = row.slice(row.length - event.fields.length);
        event.fields.forEach((f, i) => {
          const c = chunk.cases[g * PER_EVENT + Number(f.name.slice(1))]!;
          const got = values[i];
          compared++;
          if (got !== c.gen.value.v) {
            const locals = chunk.locals.map((l) => `${l.name}: ${l.typeName} = ${l.value}`).join(", ");
            differences.push(`#${c.id} ${c.gen.src}\n    locals ${locals}\n    bpftrace ${String(got)}, documented ${c.gen.value.v} (${JSON.stringify(c.gen.value.t)})`);
          }
        });
      }
    };
    const running: Promise<void>[] = [];
    for (const [n, chunk] of chunks.entries()) {
      const dir = mkdtempSync(join(tmpdir(), "probec-diff-src-"));
      const input = join(dir, `chunk${n}.probe.ts`);
      writeFileSync(input, probeSource(chunk.locals, chunk.cases));
      // BEGIN-only: no binary is bound and nothing is resolved.
      const built = await buildFile(input, { binaries: {}, cwd: dir, write: false, symbolCache: false });
      if (!built.ok || !built.script || !built.manifest) {
        throw new Error(`seed ${SEED}, chunk ${n}: probec build failed (${input}):\n${formatDiagnostics(built.diagnostics, { cwd: dir, sources: built.sources })}`);
      }
      const manifest = built.manifest;
      const script = built.script;
      running.push(
        runBpftrace(script).then((ran) => {
          if (ran.code !== 0 || !ran.stdout.includes('"value"')) {
            throw new Error(`seed ${SEED}, chunk ${n}: bpftrace exited ${ran.code}:\n${ran.stderr.split("\n").filter((l) => !/WARNING|^\s/.test(l)).join("\n").slice(0, 4000)}`);
          }
          compare(n, manifest, ran.stdout);
        }),
      );
      if (running.length >= PARALLEL) await running.shift();
    }
    await Promise.all(running);
    expect(differences, `seed ${SEED} (PROBEC_DIFF_SEED=${SEED} reproduces): ${differences.length} differences\n${differences.slice(0, 30).join("\n")}`).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(EXPRESSIONS);
  }, 600_000);
});

