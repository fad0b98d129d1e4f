// Two files of one program each define `static int helper(int)`: two local symbols `_ZL6helperi`
// at two addresses. bpftrace 0.17 attaches a name, and an address too (it turns it back into the
// name), to the first of them only. So probec attaches the name once — not once per copy, which
// would run the handler twice per call — and warns (PC9551) that the other copy goes unseen.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { events, type EventsOf } from "../../dsl/events.js";
import { resolve } from "../../compiler/symbols/resolve/index.js";
import { buildFile } from "../../compiler/pipeline/build-file.js";
import { run } from "../../runtime/index.js";
import { describeE2E } from "./harness.js";

const FIRST = `static int helper(int x) { return x * 3 + 1; }
int first(int x) { return helper(x); }
`;
const SECOND = `static int helper(int x) { return x * 5 + 2; }
int second(int x) { return helper(x); }
`;
const MAIN = `#include <unistd.h>
int first(int); int second(int);
int main() {
  usleep(300000); // let the probes attach (bpftrace -c starts us before they are live)
  int sum = 0;
  for (int i = 0; i < 3; i++) sum += first(100 + i);
  for (int i = 0; i < 2; i++) sum += second(200 + i);
  return sum == 0;
}
`;
const PROBE = `import { binary, uprobe, events } from "probec";
const app = binary("app");
export const ev = events<{ helper: { x: number } }>();
uprobe(app.fn("helper(int)"), (f) => {
  ev.helper({ x: f.arg(0).i32() });
});
`;
const ev = events<{ helper: { x: number } }>();

describeE2E("a name two local symbols share", () => {
  let program: string;
  let probeFile: string;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), "probec-shared-local-"));
    writeFileSync(join(dir, "first.cc"), FIRST);
    writeFileSync(join(dir, "second.cc"), SECOND);
    writeFileSync(join(dir, "main.cc"), MAIN);
    program = join(dir, "app");
    // -O0 and noinline-by-default keep both helpers as real calls.
    execFileSync("g++", ["-O0", "-o", program, join(dir, "first.cc"), join(dir, "second.cc"), join(dir, "main.cc")]);
    probeFile = join(dir, "helper.probe.ts");
    writeFileSync(probeFile, PROBE);
  });

  it("resolves to two addresses under one mangled name", () => {
    const r = resolve(program, ["helper(int)"], { cache: false }).patterns[0]!;
    expect(r.error).toBeNull();
    expect(r.matches.map((m) => m.mangled)).toEqual(["_ZL6helperi", "_ZL6helperi"]);
    expect(new Set(r.matches.map((m) => m.address)).size).toBe(2);
  });

  it("attaches the name once, warns that one copy goes unseen, and reports each call of the other once", { timeout: 120_000 }, async () => {
    const script = join(mkdtempSync(join(tmpdir(), "probec-shared-local-out-")), "helper.bt");
    const built = await buildFile(probeFile, { binaries: { app: program }, output: script, symbolCache: false });
    expect(built.ok).toBe(true);
    const warning = built.diagnostics.find((d) => d.code === 9551);
    expect(warning?.category).toBe("warning");
    expect(warning?.message).toMatch(/^helper\(int\) names 2 local functions \(0x[0-9a-f]+, 0x[0-9a-f]+\)/);
    const handle = run<EventsOf<typeof ev>>({ script, target: { command: program }, commandOutput: "ignore" });
    const seen: number[] = [];
    for await (const e of handle) if (e.event === "helper") seen.push(e.fields.x);
    await handle.summary;
    // One copy's calls, each once (which copy bpftrace picks is its symbol-table order).
    expect([[100, 101, 102], [200, 201]]).toContainEqual(seen.sort());
  });
});
