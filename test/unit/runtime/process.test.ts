import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bpftraceInvocation, neededStrlen, positionalParams } from "../../../runtime/process/bpftrace-argv.js";
import { classifyFailure, isHarmlessStderr, mapBtLine } from "../../../runtime/process/bpftrace-failure.js";
import { locateBpftrace } from "../../../runtime/process/locate-bpftrace.js";
import { RunError } from "../../../runtime/run-error.js";
import { events } from "./manifest-samples.js";

const loc = (line: number) => ({ file: "seed.probe.ts", line, column: 3 });
const params = [
  { name: "ENVOY_PID", kind: "int" as const, position: 1 },
  { name: "MODE", kind: "string" as const, position: 2, default: "all" },
];

describe("bpftrace argv", () => {
  it("puts JSON mode, the target as one argv element, the script, then parameters in position order", () => {
    const inv = bpftraceInvocation("/x/seed.bt", { params, events, bpftraceEnv: { EXTRA: "1" } }, { MODE: "a b; rm -rf /", ENVOY_PID: 42 }, { command: "/bin/envoy --port 1 'q'" });
    expect(inv.args).toEqual(["-f", "json", "-c", "/bin/envoy --port 1 'q'", "--", "/x/seed.bt", "42", "a b; rm -rf /"]);
    expect(inv.env).toEqual({ BPFTRACE_STRLEN: "200", EXTRA: "1" });
  });

  it("uses -p for a pid target and defaults for missing parameters", () => {
    const inv = bpftraceInvocation("s.bt", { params, events: [] }, { ENVOY_PID: "7" }, { pid: process.pid });
    expect(inv.args).toEqual(["-f", "json", "-p", String(process.pid), "--", "s.bt", "7", "all"]);
    expect(inv.env).toEqual({});
  });

  it("sizes BPFTRACE_STRLEN for the longest sized string, within 0.17's 200", () => {
    expect(neededStrlen({ events: [] })).toBeNull();
    expect(neededStrlen({ events: [{ ...events[1]!, fields: [{ name: "s", type: { kind: "sizedString", limit: 100 } }] }] })).toBe(101);
    expect(neededStrlen({ events: [{ ...events[1]!, fields: [{ name: "s", type: { kind: "sizedString", limit: 4000 } }] }] })).toBe(200);
  });

  it.each([
    [{ NOPE: 1 }, /unknown parameter 'NOPE' \(the script declares: ENVOY_PID, MODE\)/],
    [{}, /parameter 'ENVOY_PID' is required/],
    [{ ENVOY_PID: "12x" }, /must be an integer \(decimal or 0x hex, optionally negative, within 64 bits\), got '12x'/],
  ])("rejects bad parameters %j with PC9656", (given, message) => {
    expect(() => positionalParams({ params }, given)).toThrow(message);
    try {
      positionalParams({ params }, given);
    } catch (err) {
      expect((err as RunError).code).toBe(9656);
    }
  });

  it("rejects a pid that does not exist and an empty command (PC9657)", () => {
    expect(() => bpftraceInvocation("s.bt", { params: [], events: [] }, {}, { pid: 2 ** 22 + 12345 })).toThrow(/no process with pid/);
    expect(() => bpftraceInvocation("s.bt", { params: [], events: [] }, {}, { command: "  " })).toThrow(/-c needs a command/);
  });
});

describe("locating bpftrace", () => {
  it("takes an explicit executable, refuses a missing or non-executable one, searches PATH", () => {
    const dir = mkdtempSync(join(tmpdir(), "probec-locate-"));
    const fake = join(dir, "bpftrace");
    writeFileSync(fake, "#!/bin/sh\n");
    expect(() => locateBpftrace(fake)).toThrow(/not found at/);
    chmodSync(fake, 0o755);
    expect(locateBpftrace(fake)).toBe(fake);
    expect(locateBpftrace(undefined, `/nonexistent:${dir}`)).toBe(fake);
    try {
      locateBpftrace(undefined, "/nonexistent");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RunError);
      expect((err as RunError).code).toBe(9650);
      expect((err as RunError).format()).toMatch(/^error PC9650: bpftrace not found on PATH\n {2}install it/);
    }
  });
});

describe("classifying bpftrace failures (stderr recorded from bpftrace 0.17 here)", () => {
  const exit1 = { code: 1, signal: null };
  it("not root", () => {
    expect(classifyFailure(["ERROR: bpftrace currently only supports running as the root user."], exit1).code).toBe(9651);
  });
  it("root without capabilities", () => {
    const e = classifyFailure(["ERROR: failed to create map: '@st': Operation not permitted", "Creation of the required BPF maps has failed."], exit1);
    expect(e.code).toBe(9651);
    expect(e.message).toMatch(/capabilities/);
  });
  it("a kernel without kprobes", () => {
    const e = classifyFailure(
      [
        'kp.bt:1:1-20: WARNING: do_nanosleep is not traceable (either non-existing, inlined, or marked as "notrace"); attaching to it will likely fail',
        "create_probe_event: open(/sys/kernel/debug/tracing/kprobe_events): No such file or directory",
        "ERROR: Error attaching probe: 'kprobe:do_nanosleep'",
      ],
      { code: 255, signal: null },
    );
    expect(e.code).toBe(9652);
    expect(e.message).toBe("this kernel does not support kprobes (/sys/kernel/debug/tracing/kprobe_events is missing)");
  });
  it("a rejected script, mapped back to the probe file through the line map", () => {
    const lineMap = [
      { btLine: 3, loc: loc(10) },
      { btLine: 9, loc: loc(20) },
    ];
    const e = classifyFailure(["seed.bt:12:36-40: ERROR: Unknown identifier: 'nope'", "  print((4, nope));", "           ~~~~"], exit1, lineMap);
    expect(e.code).toBe(9653);
    expect(e.locations).toEqual([loc(20)]);
    expect(e.details).toEqual(["seed.probe.ts:20:3: Unknown identifier: 'nope' (bpftrace: seed.bt:12:36)"]);
    expect(e.format()).toContain("bpftrace said:\n    seed.bt:12:36-40: ERROR: Unknown identifier: 'nope'");
    expect(e.format({ stderr: false })).not.toContain("bpftrace said");
    expect(mapBtLine(lineMap, 2)).toBeNull();
  });
  it("the BPF stack limit", () => {
    expect(classifyFailure(["error: <unknown>:0:0: in function uprobe:x i64 (i8*): Looks like the BPF stack limit of 512 bytes is exceeded."], exit1).code).toBe(9653);
  });
  it("a -c command that cannot start", () => {
    const e = classifyFailure(["ERROR: Failed to fork child: path '/nonexistent/cmd' does not exist or is not executable"], exit1);
    expect(e.code).toBe(9657);
  });
  it("an attach failure, and a plain death", () => {
    expect(classifyFailure(["ERROR: Error attaching probe: 'uprobe:/x:y'"], exit1).code).toBe(9658);
    const died = classifyFailure([], { code: null, signal: "SIGKILL" });
    expect(died.code).toBe(9654);
    expect(died.message).toBe("bpftrace was killed by SIGKILL");
  });
  it("drops the harmless RLIMIT_MEMLOCK line", () => {
    expect(isHarmlessStderr('ERROR: Unknown error -1: couldn\'t set RLIMIT_MEMLOCK for bpftrace. If your program is not loading, you can try "ulimit -l 8192" to fix the problem')).toBe(true);
    expect(isHarmlessStderr("ERROR: Error attaching probe")).toBe(false);
  });
});
