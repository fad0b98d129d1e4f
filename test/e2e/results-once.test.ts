// Results once (issue 11): bpftrace prints every non-empty map at exit, after END. probec clears
// its own state (a perThread start timestamp, the presence map of has()) and a map END printed, so
// a latency hist printed in end() comes out once and no per-thread state comes out at all.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { describeE2E } from "./harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CLI = join(root, "dist", "compiler", "cli", "main.js");

const PROBE = `import { binary, end, hist, nsecs, perThread, print, uprobe, uretprobe } from "probec";
import type { u64 } from "probec";
const node = binary("node");
const started = perThread<u64>();
const lat = hist();
uprobe(node.fn("v8::internal::Heap::CollectGarbage"), () => started.set(nsecs));
uretprobe(node.fn("v8::internal::Heap::CollectGarbage"), () => {
  if (started.has()) lat.add(nsecs - started.get());
  started.delete();
});
end(() => print(lat));
`;

describeE2E("results once", () => {
  it("a hist printed in end() is printed once; per-thread state and presence maps not at all", () => {
    const dir = mkdtempSync(join(tmpdir(), "probec-once-"));
    writeFileSync(join(dir, "gc.probe.ts"), PROBE);
    const build = spawnSync(process.execPath, [CLI, "build", "gc.probe.ts", "--binary", "node=/usr/bin/node"], { cwd: dir, encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    const script = readFileSync(join(dir, "gc.bt"), "utf8");
    expect(script).toMatch(/clear\(@started\);/);
    const alloc = "let a = []; for (let i = 0; i < 300; i++) { a.push(new Array(100000).fill(i)); if (a.length > 20) a = []; }";
    writeFileSync(join(dir, "alloc.js"), alloc);
    const r = spawnSync(process.execPath, [CLI, "run", join(dir, "gc.bt"), "-c", `/usr/bin/node ${join(dir, "alloc.js")}`, "--format", "jsonl"], { encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const maps = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; name?: string }).filter((l) => l.type === "map");
    const names = maps.map((m) => m.name);
    expect(names.filter((n) => n === "lat")).toHaveLength(1);
    expect(names.filter((n) => n?.startsWith("started"))).toEqual([]);
  }, 180_000);
});
