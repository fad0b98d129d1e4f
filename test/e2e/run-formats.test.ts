// The seed investigation (library port) under the real bpftrace on each 1.19 fixture variant, then
// the recording decoded by `probec run --replay` into every output format: each format must tell,
// per connection and in order, accepted fd → SNI → filter-chain name, inside epoll wake rounds.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readManifest } from "../../compiler/ir/validate-manifest.js";
import { buildFile } from "../../compiler/pipeline/build-file.js";
import { buildFixture, variants119 } from "../fixtures/build-fixture.js";
import { driveTraffic, expectedFilterChainName } from "../fixtures/traffic.js";
import { describeE2E, traceFixture } from "./harness.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(root, "dist/compiler/cli/main.js");
const SCRIPT = join(root, "examples/envoy/accept-flow-lib.probe.ts");
const SNIS = ["alpha.example", 'q"uote\\d.example', "héllo.例え"];
const out = mkdtempSync(join(tmpdir(), "probec-formats-"));

function replay(bt: string, recording: string, format: string): string {
  const r = spawnSync(process.execPath, [CLI, "run", bt, "--replay", recording, "--format", format], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describeE2E("probec run: every output format on every 1.19 fixture variant", () => {
  for (const variant of variants119()) {
    describe(variant.name, () => {
      it("accepted fd → SNI → filter chain → wake round end, per connection, in text, jsonl, chrome-trace and folded", async () => {
        const fixture = await buildFixture(variant);
        const bt = join(out, `${variant.name}.bt`);
        const built = await buildFile(SCRIPT, { binaries: { envoy: fixture.path }, output: bt, cwd: root });
        expect(built.ok).toBe(true);
        const closedTag = readManifest(join(out, `${variant.name}.manifest.json`)).events.find((e) => e.name === "closed")!.tag;
        const closedLine = new RegExp(`"data": ?\\[${closedTag},`, "g");
        // A warm-up connection first (0.17 may still be arming a uprobe when it says it is attached).
        const run = await traceFixture({
          binary: fixture.path,
          scriptFile: bt,
          json: true,
          params: ({ pid }) => [pid],
          traffic: async (port) => {
            await driveTraffic(port, [{ sni: "warm-up.example" }]);
            await new Promise((r) => setTimeout(r, 200));
            return driveTraffic(port, SNIS.map((sni) => ({ sni, alpn: ["h2", "http/1.1"] })));
          },
          until: (stdout) => (stdout.match(closedLine) ?? []).length >= SNIS.length + 1,
          untilTimeoutMs: 20_000,
        });
        const recording = join(out, `${variant.name}.json`);
        writeFileSync(recording, run.stdout);

        // jsonl: typed records; per connection (from its accept to its close) the order holds.
        const records = replay(bt, recording, "jsonl")
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l) as { event?: string; fields?: Record<string, unknown> })
          .filter((r) => typeof r.event === "string");
        const connections: string[][] = [];
        let current: string[] | null = null;
        for (const r of records) {
          if (r.event === "accepted") connections.push((current = []));
          if (!current) continue;
          if (r.event === "tlsServerName") current.push(`sni ${(r.fields!.name as { text: string }).text}`);
          else if (r.event === "filterChain") current.push(`chain ${(r.fields!.name as { text: string }).text}`);
          else if (r.event === "accepted" || r.event === "closed" || r.event === "wakeRound.end") current.push(r.event);
        }
        const measured = connections.slice(-SNIS.length);
        expect(measured).toHaveLength(SNIS.length);
        measured.forEach((c, i) => {
          const sni = `sni ${SNIS[i]}`;
          const chain = `chain ${expectedFilterChainName(SNIS[i]!).toString("utf8")}`;
          expect(c[0]).toBe("accepted");
          expect(c.indexOf(sni), c.join(" | ")).toBeGreaterThan(0);
          expect(c.indexOf(chain), c.join(" | ")).toBeGreaterThan(c.indexOf(sni));
          expect(c.indexOf("wakeRound.end"), c.join(" | ")).toBeGreaterThan(0);
          expect(c.indexOf("closed"), c.join(" | ")).toBeGreaterThan(c.indexOf(chain));
        });

        // text: the same names, in the same order, for people.
        const text = replay(bt, recording, "text");
        let at = 0;
        for (const sni of SNIS) {
          const chain = expectedFilterChainName(sni).toString("utf8");
          const s = text.indexOf(`tlsServerName`, at);
          const f = text.indexOf(`name=${JSON.stringify(chain)}`, s);
          expect(s, `SNI ${sni} in text output`).toBeGreaterThanOrEqual(0);
          expect(f, `chain ${chain} after its SNI in text output`).toBeGreaterThan(s);
          at = f;
        }
        expect(text).toMatch(/--- summary/);

        // chrome-trace: a Trace Event Format document with the wake rounds as slices on the worker's track.
        const trace = JSON.parse(replay(bt, recording, "chrome-trace")) as { traceEvents: { ph: string; name: string; tid: number; ts: number }[] };
        const slices = trace.traceEvents.filter((e) => (e.ph === "X" || e.ph === "B") && e.name.startsWith("wakeRound"));
        expect(slices.length).toBeGreaterThanOrEqual(SNIS.length);
        const instants = trace.traceEvents.filter((e) => e.ph === "i").map((e) => e.name);
        expect(instants).toEqual(expect.arrayContaining(["accepted", "tlsServerName", "filterChain", "closed"]));
        expect(trace.traceEvents.some((e) => e.ph === "M" && e.name === "thread_name")).toBe(true);

        // folded: one line per distinct stack, frames root first, a count at the end; the accept
        // path's stack runs through the listener's socket event.
        const folded = replay(bt, recording, "folded").trim().split("\n");
        expect(folded.length).toBeGreaterThan(0);
        for (const line of folded) expect(line).toMatch(/^\S.* \d+$/);
        expect(folded.some((l) => l.includes("Envoy::Network::TcpListenerImpl::onSocketEvent(short)"))).toBe(true);
      }, 240_000);
    });
  }
});
