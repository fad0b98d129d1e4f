// `has()` means presence (docs/expressions.md): a stored 0 is present, a deleted or never-set key
// is not — built by probec's real pipeline and run in the real bpftrace 0.17 (BEGIN only).
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostics } from "../../compiler/diagnostics/index.js";
import { buildFile } from "../../compiler/pipeline/index.js";
import { parseJsonLines, requireBpftrace } from "./harness.js";

const SOURCE = `import { begin, map, perThread, scalar, emit } from "probec";
import type { u64, i64, u8 } from "probec";
const m = map<u64, i64>();
const pair = map<u64, { a: u8; b: i64 }>();
const t = perThread<i64>();
const s = scalar<i64>();
begin(() => {
  m.set(1, 0);
  m.set(2, 5);
  m.delete(2);
  pair.set(7, { a: 0, b: 0 });
  t.set(0);
  s.set(0);
  if (m.has(1)) {
    m.set(4, 0);
  }
  emit("r", { one: m.has(1), two: m.has(2), three: m.has(3), four: m.has(4), pair: pair.has(7), thread: t.has(), scalar: s.has(), value: m.get(1) });
  // delete() is immediate; clear() is carried out later by bpftrace's user space (an async action).
  s.delete();
  emit("afterDelete", { scalar: s.has() });
});
`;

const availability = requireBpftrace();

describe.skipIf(!availability.ok)("map has() with a stored 0, in bpftrace 0.17", () => {
  it("is true for a stored 0 (map, record value, per-thread, scalar), false when deleted or never set", async () => {
    const dir = mkdtempSync(join(tmpdir(), "probec-has-"));
    const input = join(dir, "has.probe.ts");
    writeFileSync(input, SOURCE);
    const built = await buildFile(input, { binaries: {}, cwd: dir, write: false, symbolCache: false });
    if (!built.ok || !built.script || !built.manifest) throw new Error(formatDiagnostics(built.diagnostics, { cwd: dir, sources: built.sources }));
    // What the old lowering did: `@m[1] != 0`. The presence map is what is read now.
    expect(built.script).toContain("@m__has[1] = 1;");
    expect(built.script).toContain("delete(@m__has[2]);");
    expect(built.script).not.toMatch(/@m\[1\] != 0/);
    // exit() at the end of the BEGIN block (the script may hold other blocks after it, e.g. END's clears).
    const begin = built.script.indexOf("\nBEGIN\n{");
    const close = built.script.indexOf("\n}\n", begin);
    const script = `${built.script.slice(0, close)}\n    exit();${built.script.slice(close)}`;
    const file = join(dir, "has.bt");
    writeFileSync(file, script);
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn("bpftrace", ["-f", "json", file], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.once("error", reject);
      child.once("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`bpftrace exited ${code}: ${err}`))));
    });
    const byTag = new Map(built.manifest.events.map((e) => [e.tag, e]));
    const records = parseJsonLines(stdout)
      .filter((l) => l.type === "value")
      .map((l) => {
        const data = l.data as unknown[];
        const event = byTag.get(Number(data[0]))!;
        const values = data.slice(data.length - event.fields.length);
        return { event: event.name, ...Object.fromEntries(event.fields.map((f, i) => [f.name, values[i]])) };
      });
    expect(records).toEqual([
      { event: "r", one: 1, two: 0, three: 0, four: 1, pair: 1, thread: 1, scalar: 1, value: 0 },
      { event: "afterDelete", scalar: 0 },
    ]);
  }, 60_000);
});
