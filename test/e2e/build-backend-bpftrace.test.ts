// The backend's output under the real bpftrace 0.17: the golden scripts load (every program through
// the verifier), and an event too large for one line on the BPF stack — two 199-byte strings — is
// split into head and continuation lines that decode back into one event, byte-exact, under traffic.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { parseBpftraceTarget } from "../../compiler/backend/index.js";
import { formatDiagnostics } from "../../compiler/diagnostics/index.js";
import type { CompileResult } from "../../compiler/frontend/index.js";
import type { ProbeProgram } from "../../compiler/ir/program.js";
import { buildProbeFile } from "../../compiler/pipeline/index.js";
import { RealSymbolSource } from "../../compiler/pipeline/real-symbol-source.js";
import { buildFixture, type BuiltFixture } from "../fixtures/build-fixture.js";
import { driveTraffic, expectedFilterChainName, HOSTILE_SNIS } from "../fixtures/traffic.js";
import { decodeEvents, loadOnce, repoRoot } from "./build-helpers.js";
import { describeE2E, startBpftrace, startFixture } from "./harness.js";

const golden = (name: string) => readFileSync(join(repoRoot, "test/unit/backend/golden", name), "utf8");

describeE2E("backend output under bpftrace 0.17", () => {
  let fixture: BuiltFixture;
  beforeAll(async () => {
    fixture = await buildFixture({ compiler: "clang", stringView: "absl-class" });
  });

  it("the statements golden loads: maps, tuples, aggregates, params, BEGIN/END", async () => {
    const load = await loadOnce(golden("statements.0.17.bt"), ["1", "nobody"], {});
    expect(load.output.split("\n").filter((l) => /error|offset mismatch/i.test(l) && !l.includes("RLIMIT"))).toEqual([]);
    expect(load.exitCode).toBe(0);
    expect(load.programs.map((p) => p.probe)).toEqual(["BEGIN", "tracepoint:syscalls:sys_enter_setsockopt", "END"]);
  });

  it("the uprobes golden loads against the fixture (symbols it lacks are dropped by bpftrace, the rest verify)", async () => {
    const script = golden("uprobes.0.17.bt").replaceAll("/opt/envoy/bin/envoy", fixture.path);
    const target = await startFixture(fixture.path);
    try {
      const load = await loadOnce(script, [String(target.pid)], { BPFTRACE_STRLEN: "121" });
      expect(load.output.split("\n").filter((l) => /error|offset mismatch/i.test(l) && !l.includes("RLIMIT"))).toEqual([]);
      expect(load.exitCode).toBe(0);
      const probes = load.programs.map((p) => p.probe).join("\n");
      expect(probes).toContain("setFilterChainName");
      expect(probes).toContain("interval:s:5");
    } finally {
      await target.stop();
    }
  });

  it("a split event (two 199-byte strings) decodes into one event per call, byte-exact, with true lengths", async () => {
    const file = join(repoRoot, "test/e2e/split-event.probe.ts"); // never read: the front end is a stand-in
    const loc = (line: number) => ({ file, line, column: 1 });
    const program: ProbeProgram = {
      irVersion: 1,
      source: file,
      binaries: [{ name: "envoy", loc: loc(1) }],
      params: [{ name: "ENVOY_PID", kind: "int", position: 1 }],
      maps: [],
      events: [
        {
          name: "twice",
          tag: 1,
          loc: loc(2),
          fields: [
            { name: "first", type: { kind: "sizedString", limit: 199 } },
            { name: "self", type: { kind: "pointer" } },
            { name: "second", type: { kind: "sizedString", limit: 199 } },
          ],
        },
      ],
      probes: [
        {
          id: "p0",
          loc: loc(3),
          attach: { kind: "uprobe", binary: "envoy", patterns: ["Envoy::StreamInfo::StreamInfoImpl::setFilterChainName"], select: "first", optional: false },
          filter: { kind: "binary", op: "==", left: { kind: "builtin", name: "pid" }, right: { kind: "param", name: "ENVOY_PID" } },
          body: [
            {
              kind: "emit",
              event: "twice",
              fields: [
                { name: "first", value: { kind: "uArg", index: 0, read: { as: "stringView", limit: 199 } } },
                { name: "self", value: { kind: "uThis" } },
                { name: "second", value: { kind: "uArg", index: 0, read: { as: "stringView", limit: 199 } } },
              ],
              loc: loc(4),
            },
          ],
        },
      ],
    };
    const front: CompileResult = { program, diagnostics: [], sources: new Map() };
    const symbols = new RealSymbolSource({ cache: false });
    const out = join(mkdtempSync(join(tmpdir(), "probec-split-")), "split-event.bt");
    const built = buildProbeFile({
      input: file,
      binaries: new Map([["envoy", fixture.path]]),
      output: out,
      target: parseBpftraceTarget("0.17"),
      params: new Map(),
      defines: {},
      probecVersion: "e2e",
      symbols,
      frontend: () => front,
    });
    symbols.close();
    expect(built.ok, formatDiagnostics(built.diagnostics)).toBe(true);
    const manifest = built.manifest!;
    expect(manifest.events[0]!.layout!.lines).toHaveLength(3);
    expect(manifest.bpftraceEnv).toEqual({ BPFTRACE_STRLEN: "200" });

    const snis = [HOSTILE_SNIS.long!, HOSTILE_SNIS.quotes!, "x".repeat(250)];
    const target = await startFixture(fixture.path);
    const bt = await startBpftrace({ scriptFile: out, json: true, params: [target.pid], env: { ...process.env, ...manifest.bpftraceEnv } });
    try {
      await driveTraffic(target.port, snis.map((sni) => ({ sni })));
      await bt.waitForOutput((o) => decodeEvents(o, manifest).length >= snis.length, 15_000);
    } finally {
      await bt.stop();
      await target.stop();
    }
    const events = decodeEvents(bt.stdout(), manifest);
    expect(events).toHaveLength(snis.length);
    for (const [i, sni] of snis.entries()) {
      const name = expectedFilterChainName(sni);
      const ev = events[i]!;
      for (const f of ["first", "second"]) {
        expect(Buffer.from(String(ev.fields[f]), "latin1").equals(name.subarray(0, 199))).toBe(true);
        expect(ev.lengths[f]).toBe(BigInt(name.length));
      }
      expect(ev.fields.self).not.toBe(0n);
    }
    // A long name is cut at 199 bytes and its length says so.
    expect(events.some((e) => e.lengths.first! > 199n)).toBe(true);
  });
});
