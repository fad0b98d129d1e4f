// probec decode: a recording made by plain bpftrace, with the exact command the script's header
// gives, decodes into the same events as a `probec run` on the same traffic at the same time, in
// every format; two recordings merge into one Chrome Trace with a process track for each.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { buildFile } from "../../compiler/pipeline/build-file.js";
import { run } from "../../runtime/index.js";
import { createFormat, FORMAT_NAMES } from "../../runtime/output/index.js";
import type { RuntimeItem } from "../../runtime/types.js";
import { buildFixture, variants119 } from "../fixtures/build-fixture.js";
import { driveTraffic } from "../fixtures/traffic.js";
import { describeE2E, startBpftrace, startFixture } from "./harness.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(root, "dist/compiler/cli/main.js");
const PROBE = join(root, "examples/envoy/accept-flow-lib.probe.ts");
const SNIS = ["alpha.example", 'q"uote\\d.example', "héllo.例え"];

function decode(args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, "decode", ...args], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** The header's recording command, as argv and environment: `//   [ENV=V ]bpftrace -f json X.bt ARGS > X.jsonl`. */
function headerCommand(script: string, values: Record<string, string>): { env: Record<string, string>; argv: string[]; output: string } {
  const line = script.split("\n").find((l) => /^\/\/ {3}(\S+=\S+ )*bpftrace -f json /.test(l));
  expect(line, "the header has the bpftrace command").toBeDefined();
  const words = line!.slice(5).split(" ");
  const env: Record<string, string> = {};
  while (words[0]!.includes("=")) {
    const [k, v] = words.shift()!.split("=");
    env[k!] = v!;
  }
  const at = words.indexOf(">");
  const argv = words.slice(0, at).map((w) => w.replace(/^"\$(\w+)"$/, (_, name: string) => values[name] ?? `<unset ${name}>`));
  return { env, argv, output: words[at + 1]! };
}

/**
 * What identifies an event across two tracers of the same traffic. Each tracer reads its own
 * clock, so timestamps and nsecs-measured durations (fields named …Ns) differ; and a frame in a
 * library outside the manifest's binaries (libevent here) is placed in its file by a live run
 * (from /proc/PID/maps) but stays a bare address offline: its module name is not compared.
 */
function comparable(v: unknown, key = ""): unknown {
  if (Array.isArray(v)) return v.map((e) => comparable(e));
  if (typeof v === "number" && /Ns$/.test(key)) return "<duration>";
  if (typeof v !== "object" || v === null) return v;
  const o = { ...(v as Record<string, unknown>) };
  if ("address" in o && !("symbol" in o)) delete o.module;
  return Object.fromEntries(Object.entries(o).map(([k, e]) => [k, comparable(e, k)]));
}
const sameEvent = (l: string) => {
  const { ts: _ts, ...rest } = JSON.parse(l) as { ts: number };
  return comparable(rest);
};

describeE2E("probec decode: plain bpftrace recordings decode as probec run does, and merge", () => {
  const variant = variants119()[0]!;
  it(`on ${variant.name}: same events as a live probec run in every format; two recordings, one timeline`, async () => {
    const fixture = await buildFixture(variant);
    const dir = mkdtempSync(join(tmpdir(), "probec-decode-"));
    const bt = join(dir, "accept-flow-lib.bt");
    const built = await buildFile(PROBE, { binaries: { envoy: fixture.path }, output: bt, cwd: root });
    expect(built.ok).toBe(true);
    const manifest = join(dir, "accept-flow-lib.manifest.json");

    const target = await startFixture(fixture.path, { deferListen: true });
    const cmd = headerCommand(readFileSync(bt, "utf8"), { ENVOY_PID: String(target.pid) });
    expect(cmd.argv.slice(0, 4)).toEqual(["bpftrace", "-f", "json", "accept-flow-lib.bt"]);
    expect(cmd.output).toBe("accept-flow-lib.jsonl");
    // Plain bpftrace, exactly as the header says (run from the script's folder), and a live probec run, on the same process.
    const plain = await startBpftrace({ scriptFile: join(dir, cmd.argv[3]!), json: true, extraArgs: [], params: cmd.argv.slice(4), env: { ...process.env, ...cmd.env } });
    const live = run({ script: bt, params: { ENVOY_PID: target.pid } });
    const liveItems: RuntimeItem[] = [];
    const collecting = (async () => {
      for await (const batch of live.itemBatches()) liveItems.push(...batch);
    })();
    try {
      await live.attached;
      await new Promise((r) => setTimeout(r, 1500));
      const port = await target.listen();
      await driveTraffic(port, SNIS.map((sni) => ({ sni, alpn: ["h2", "http/1.1"] })));
      await new Promise((r) => setTimeout(r, 1000));
      const recorded = await plain.stop();
      const summary = await live.stop();
      await collecting;
      const recording = join(dir, cmd.output);
      writeFileSync(recording, recorded.stdout);

      // jsonl: the same typed events, in the same order (timestamps aside).
      const liveJsonl = createFormat("jsonl", built.manifest!);
      const liveEvents = liveItems.map((i) => liveJsonl.item(i)).join("").split("\n").filter((l) => l.startsWith('{"type":"event"')).map(sameEvent);
      const decodedJsonl = decode([recording, "--manifest", manifest, "--format", "jsonl"]);
      const decodedEvents = decodedJsonl.split("\n").filter((l) => l.startsWith('{"type":"event"')).map(sameEvent);
      expect(liveEvents.length).toBeGreaterThan(SNIS.length * 3);
      expect(decodedEvents).toEqual(liveEvents);

      // text, chrome-trace, folded: the same output apart from clocks and the summary's timing.
      const normalise: Record<string, (s: string) => unknown> = {
        text: (s) =>
          s
            .split("\n")
            .filter((l) => !l.startsWith("---") && !l.startsWith("# attached"))
            .map((l) => l.replace(/^\+\d+\.\d+ /, "").replace(/(\w+Ns)=\d+/g, "$1=<duration>").replace(/^(\s+0x[0-9a-f]+) \(.*\)$/, "$1")),
        jsonl: (s) => s.split("\n").filter((l) => l.startsWith('{"type":"event"')).map(sameEvent),
        "chrome-trace": (s) => (JSON.parse(s) as { traceEvents: Record<string, unknown>[] }).traceEvents.map(({ ts: _t, dur: _d, ...rest }) => comparable(rest)),
        folded: (s) => s,
      };
      for (const format of FORMAT_NAMES) {
        const f = createFormat(format, built.manifest!);
        const liveText = f.begin() + liveItems.map((i) => f.item(i)).join("") + f.end(summary);
        const decodedText = decode([recording, "--manifest", manifest, "--format", format]);
        expect(normalise[format]!(decodedText), format).toEqual(normalise[format]!(liveText));
      }
      expect(decode([recording, "--manifest", manifest, "--format", "folded"])).toMatch(/Envoy::Network::TcpListenerImpl::onSocketEvent/);

      // Two recordings (one per host) → one Chrome Trace with a process track for each.
      const second = join(dir, "node-b.jsonl");
      writeFileSync(second, recorded.stdout);
      const merged = JSON.parse(decode([recording, second, "--manifest", manifest, "--label", "node-a", "--label", "node-b", "--format", "chrome-trace"])) as {
        traceEvents: { ph: string; name: string; pid: number; ts?: number; args?: { name?: string } }[];
      };
      const processes = merged.traceEvents.filter((e) => e.ph === "M" && e.name === "process_name");
      expect(processes.map((p) => p.args!.name!.split(":")[0]).sort()).toEqual(["node-a", "node-b"]);
      expect(new Set(processes.map((p) => p.pid)).size).toBe(2);
      const instants = merged.traceEvents.filter((e) => e.ph === "i");
      expect(instants.length).toBe(2 * merged.traceEvents.filter((e) => e.ph === "i" && e.pid === processes[0]!.pid).length);
      // Each recording's clock starts at its own first event.
      for (const p of processes) {
        const own = merged.traceEvents.filter((e) => e.pid === p.pid && (e.ph === "i" || e.ph === "X")).map((e) => e.ts!);
        expect(Math.min(...own)).toBe(0);
      }
      const mergedJsonl = decode([recording, second, "--manifest", manifest, "--format", "jsonl"]);
      expect(mergedJsonl).toContain('"recording":"accept-flow-lib"');
      expect(mergedJsonl).toContain('"recording":"node-b"');
    } finally {
      await live.stop().catch(() => {});
      await target.stop(2_000);
    }
  }, 300_000);
});
