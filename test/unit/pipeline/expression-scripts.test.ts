// The wrong-script cases of issue 15, through the whole pipeline (BEGIN only: no binary): what the
// script says must be what the probe says (docs/expressions.md).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildFile } from "../../../compiler/pipeline/index.js";

async function build(body: string, head = "") {
  const dir = mkdtempSync(join(tmpdir(), "probec-expr-"));
  const input = join(dir, "e.probe.ts");
  writeFileSync(input, `import { begin, printf, pid, map, param } from "probec";\nimport type { u8, u32, i64, u64 } from "probec";\n${head}begin(() => {\n${body}\n});\n`);
  const r = await buildFile(input, { binaries: {}, cwd: dir, write: false, symbolCache: false });
  return { ...r, where: r.diagnostics.map((d) => `PC${d.code}@${d.loc?.line}:${d.loc?.column}`) };
}

describe("expressions in the generated script", () => {
  it("x = -(-x) and -(-pid) are two negations, never a decrement", async () => {
    const r = await build(`  let x: u32 = pid;\n  x = -(-x);\n  const y = -(-pid);\n  printf("%d %d\\n", x, y);`);
    expect(r.where).toEqual([]);
    expect(r.script).toContain("$x = -(-$x);");
    expect(r.script).toContain("$y = -(-pid);");
    // (the header's run command may hold bpftrace's `--`; the code may not)
    expect(r.script!.split("\n").filter((l) => !l.trimStart().startsWith("//")).join("\n")).not.toMatch(/--/);
  });

  it("a literal above 2^53 is written exactly, not rounded through a JS number", async () => {
    const r = await build(`  let m: u64 = 0x1234567890abcdef;\n  printf("%llu %d\\n", m, 0x1234567890abcdef + pid);`);
    expect(r.where).toEqual([]);
    expect(r.script).toContain("(uint64)1311768467294899695");
    expect(r.script).toContain("1311768467294899695 + pid");
    expect(r.script).not.toContain("1311768467294899700");
  });

  it("a typed const with a constant value stays a build-time constant, wrapped to its type", async () => {
    const r = await build(`  const k: u8 = 300;\n  const big: u64 = 0xffffffffffffffff;\n  printf("%d %d\\n", k + pid, big);`);
    expect(r.where).toEqual([]);
    expect(r.script).toContain('printf("%d %d\\n", 44 + pid, -1);');
  });

  it("1 << 70 is refused at its shift count (PC9152), not written as 1180591620717411303424", async () => {
    const r = await build(`  printf("%d\\n", 1 << 70);`);
    expect(r.ok).toBe(false);
    expect(r.where).toEqual(["PC9152@4:23"]);
    expect(r.diagnostics[0]!.loc?.file).toBe("e.probe.ts");
  });

  it("constants wrap as 64-bit patterns where bpftrace does, and overflow beyond 64 bits is PC9151", async () => {
    const ok = await build(`  printf("%d %d %d\\n", 0xffffffffffffffff + 1, 1 << 63, -(-9223372036854775808));`);
    expect(ok.where).toEqual([]);
    expect(ok.script).toContain('printf("%d %d %d\\n", 0, -9223372036854775808, -9223372036854775808);');
    const bad = await build(`  printf("%d\\n", 0x7fffffffffffffff * 4);`);
    expect(bad.where).toEqual(["PC9151@4:18"]);
  });

  it("a run-time shift count is taken modulo 64 and a run-time divisor of 0 gives 0 (x % 0 gives x)", async () => {
    const r = await build(`  let n: u32 = pid;\n  printf("%d %d %d\\n", 1 << n, 100 / n, 100 % n);`);
    expect(r.where).toEqual([]);
    expect(r.script).toContain("1 << ($n & 63)");
    expect(r.script).toContain("(int64)($n != 0 ? 100 / $n : 0)".replace("int64", "uint64"));
    expect(r.script).toContain("(uint64)($n != 0 ? 100 % $n : 100 + 0)");
  });

  it("docs/expressions.md's example builds and prints what the page says", async () => {
    const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../../docs/expressions.md"), "utf8");
    const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(0);
    for (const text of blocks) {
      const dir = mkdtempSync(join(tmpdir(), "probec-expr-doc-"));
      writeFileSync(join(dir, "doc.probe.ts"), text);
      const r = await buildFile(join(dir, "doc.probe.ts"), { binaries: {}, cwd: dir, write: false, symbolCache: false });
      expect(r.diagnostics).toEqual([]);
      for (const line of ["$small = (uint8)pid;", "-(-$n)", "(uint64)($n != 0 ? 100 / $n : 0)", "1 << ($small & 63)", "1311768467294899695"]) expect(r.script).toContain(line);
    }
  });
});
