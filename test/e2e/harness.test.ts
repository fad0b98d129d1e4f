// The e2e harness itself: output parsing always; process lifecycle and failure reporting with the
// real bpftrace when it can run here.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFixture, type BuiltFixture } from "../fixtures/build-fixture.js";
import { driveTraffic } from "../fixtures/traffic.js";
import {
  attachedProbeCount,
  decodeBpftraceJsonString,
  describeE2E,
  parseJsonLines,
  startBpftrace,
  startFixture,
  traceFixture,
} from "./harness.js";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("bpftrace output parsing", () => {
  it("undoes bpftrace 0.17's sign-extended byte escapes", () => {
    expect(decodeBpftraceJsonString("h\\uffffffc3\\uffffffa9llo").toString("utf8")).toBe("héllo");
  });

  it("keeps standard escapes, control bytes and proper \\u escapes", () => {
    expect([...decodeBpftraceJsonString('a\\"b\\\\c\\n\\t\\u0001')]).toEqual([0x61, 0x22, 0x62, 0x5c, 0x63, 0x0a, 0x09, 0x01]);
    expect(decodeBpftraceJsonString("\\u00e9").toString("utf8")).toBe("é");
  });

  it("rejects an escape JSON does not have", () => {
    expect(() => decodeBpftraceJsonString("\\x41")).toThrow(/bad escape/);
  });

  it("finds the attached-probes count in JSON and text mode", () => {
    expect(attachedProbeCount('{"type": "attached_probes", "data": {"probes": 3}}\n')).toBe(3);
    expect(attachedProbeCount("Attaching 1 probe...\n")).toBe(1);
    expect(attachedProbeCount("Attaching 12 probes...\n")).toBe(12);
    expect(attachedProbeCount("nothing yet\n")).toBeUndefined();
  });

  it("parses JSON lines and skips warnings and cut lines", () => {
    const events = parseJsonLines('WARNING: x\n{"type": "printf", "data": "a"}\n{"type": "map", "da');
    expect(events).toEqual([{ type: "printf", data: "a" }]);
  });
});

describeE2E("e2e harness with the real bpftrace", () => {
  let fixture: BuiltFixture;
  let dir: string;
  beforeAll(async () => {
    fixture = await buildFixture({ compiler: "gcc", stringView: "absl-class" });
    dir = mkdtempSync(join(tmpdir(), "probec-harness-"));
  });

  it("stops bpftrace with SIGINT, keeps the final map dump, and leaves no process behind", async () => {
    const script = join(dir, "count.bt");
    writeFileSync(script, 'uprobe:$2:_ZN5Envoy6Server15ActiveTcpSocket13newConnectionEv /pid == $1/ { @connections = count(); }\n');
    const run = await traceFixture({
      binary: fixture.path,
      scriptFile: script,
      json: true,
      params: ({ pid, binary }) => [pid, binary],
      traffic: (port) => driveTraffic(port, [{ sni: "a" }, { sni: "b" }, { sni: "c" }]),
    });
    expect(run.exitCode).toBe(0);
    expect(run.killed).toBe(false);
    const maps = parseJsonLines(run.stdout).filter((e) => e.type === "map");
    expect(maps).toEqual([{ type: "map", data: { "@connections": 3 } }]);
    expect(run.fixture.exitCode).toBe(0);
    expect(isAlive(run.fixturePid)).toBe(false);
    expect(isAlive(run.bpftracePid)).toBe(false);
  });

  it("with deferListen, the listener is created after bpftrace attached, so bind() and listen() are seen", async () => {
    const script = join(dir, "bind.bt");
    writeFileSync(
      script,
      [
        "tracepoint:syscalls:sys_enter_bind /pid == $1/ { printf(\"bind fd=%d\\n\", args->fd); }",
        "tracepoint:syscalls:sys_enter_listen /pid == $1/ { printf(\"listen fd=%d\\n\", args->fd); }",
        "",
      ].join("\n"),
    );
    const run = await traceFixture({
      binary: fixture.path,
      scriptFile: script,
      json: true,
      deferListen: true,
      params: ({ pid }) => [pid],
      traffic: (port) => driveTraffic(port, [{ sni: "late.example" }]),
      until: (out) => out.includes("listen fd="),
    });
    expect(run.exitCode).toBe(0);
    expect(run.traffic[0]!.status).toBe(200);
    const lines = parseJsonLines(run.stdout).filter((e) => e.type === "printf").map((e) => e.data);
    const bind = lines.findIndex((l) => /^bind fd=\d+\n$/.test(String(l)));
    const listen = lines.findIndex((l) => /^listen fd=\d+\n$/.test(String(l)));
    expect(bind).toBeGreaterThanOrEqual(0);
    expect(listen).toBeGreaterThan(bind);
  });

  it("reports a script bpftrace rejects, with bpftrace's own error, and does not hang", async () => {
    const script = join(dir, "broken.bt");
    writeFileSync(script, "uprobe:/bin/true:main { printf(\"%d\\n\", ); }\n");
    await expect(startBpftrace({ scriptFile: script, json: true, attachTimeoutMs: 30_000 })).rejects.toThrow(/exited \(1\) before attaching[\s\S]*stderr: .*(syntax error|ERROR)/);
  });

  it("reports a missing script and a missing fixture binary clearly", async () => {
    await expect(startBpftrace({ scriptFile: join(dir, "nope.bt") })).rejects.toThrow(/bpftrace script not found: .*nope\.bt/);
    await expect(startFixture(join(dir, "no-such-envoy"))).rejects.toThrow(/could not start: .*ENOENT/);
  });
});
