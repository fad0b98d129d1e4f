// The runtime API against the real bpftrace and the fixture Envoy: typed events, hostile SNIs
// byte-exact (or flagged truncated), stacks, map dumps at exit, spans, and no bpftrace left behind.
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { run, type ProbeEvent, type RunSummary, type SizedStringValue, type StackFrame } from "../../runtime/index.js";
import { buildFixture, type BuiltFixture } from "../fixtures/build-fixture.js";
import { driveTraffic, expectedFilterChainName, HOSTILE_SNIS } from "../fixtures/traffic.js";
import { describeE2E, startFixture, type RunningFixture } from "./harness.js";
import { NAME_LIMIT, writeHandwritten } from "./run-helpers.js";

type Shapes = {
  filterChain: { name: SizedStringValue; stack: StackFrame[] };
  socketEvent: { events: number };
  socketEventDone: Record<string, never>;
};

const SNIS = [HOSTILE_SNIS.plain!, HOSTILE_SNIS.quotes!, HOSTILE_SNIS.backslashes!, HOSTILE_SNIS.utf8!, HOSTILE_SNIS.controls!, HOSTILE_SNIS.long!, ""];

function alive(pid: number | undefined): boolean {
  return pid !== undefined && existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(safeRead(`/proc/${pid}/status`));
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

describeE2E("probec runtime API on the fixture (hand-written .bt + manifest)", () => {
  let fixture: BuiltFixture;
  let server: RunningFixture;
  let script: string;

  beforeAll(async () => {
    fixture = await buildFixture({ compiler: "clang", stringView: "absl-class", generation: "1.19" });
    script = writeHandwritten(fixture.path);
    server = await startFixture(fixture.path);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("decodes every filter-chain name byte-exact, or flags it truncated; stops when the consumer breaks", async () => {
    const handle = run<Shapes>({ script, params: { ENVOY_PID: server.pid }, target: { pid: server.pid } });
    expect(await handle.attached).toBe(4); // three uprobes and the BEGIN block that says they are live
    const traffic = driveTraffic(server.port, SNIS.map((sni) => ({ sni })));
    const names: ProbeEvent<"filterChain", Shapes["filterChain"]>[] = [];
    let spans = 0;
    for await (const e of handle) {
      if (e.event === "filterChain") {
        names.push(e);
        // Typed from Shapes: `e.fields.name` is a SizedStringValue here.
        if (names.length === SNIS.length) break;
      } else if (e.event === "socketEvent") spans++;
    }
    await traffic;
    const bpftracePid = handle.pid;
    const summary: RunSummary = await handle.summary;
    // The consumer broke out of the loop: bpftrace was stopped (SIGINT) and is gone.
    expect(alive(bpftracePid)).toBe(false);
    expect(summary.exit.code === 0 || summary.exit.signal === "SIGINT").toBe(true);

    expect(names).toHaveLength(SNIS.length);
    names.forEach((e, i) => {
      const expected = expectedFilterChainName(SNIS[i]);
      const got = e.fields.name;
      expect(got.length).toBe(expected.length);
      if (expected.length <= NAME_LIMIT) {
        expect(got.truncated).toBe(false);
        expect(Buffer.from(got.text, "utf8").equals(expected)).toBe(true);
        expect(got.bytesHex).toBeUndefined();
      } else {
        expect(got.truncated).toBe(true);
        expect(Buffer.from(got.text, "utf8").equals(expected.subarray(0, NAME_LIMIT))).toBe(true);
      }
      expect(e.comm).toBe("envoy");
      expect(e.pid).toBe(server.pid);
      // bpftrace symbolised the stack while the fixture lived.
      expect(e.fields.stack[0]!.symbol).toMatch(/setFilterChainName/);
    });
    expect(spans).toBeGreaterThanOrEqual(1);
    expect(summary.malformed).toBe(0);
    expect(summary.events.filterChain).toBe(SNIS.length);

    const byChain = summary.maps.find((m) => m.name === "byChain")!;
    const lengths = byChain.entries.map((e) => e.key![1]).sort((a, b) => Number(a) - Number(b));
    expect(lengths).toEqual(SNIS.map((s) => expectedFilterChainName(s).length).sort((a, b) => a - b));
    expect(byChain.entries.every((e) => e.key![0] === "envoy" && typeof e.value === "number")).toBe(true);

    // With -p the fixture still lives when bpftrace prints its maps, so it symbolised the keys.
    const wake = summary.maps.find((m) => m.name === "wakeStacks")!;
    const frames = wake.entries[0]!.key![0] as StackFrame[];
    expect(frames[0]!.symbol).toMatch(/onSocketEvent/);
  });

  it("a script bpftrace rejects fails with PC9653 mapped to the probe file", async () => {
    const bad = writeHandwritten(fixture.path, `uprobe:${fixture.path}:_ZN5Envoy7Network15TcpListenerImpl13onSocketEvent* /pid == $1/\n{\n  print((2, nsecs, pid, tid, comm, nope));\n}\n`);
    const handle = run({ script: bad, params: { ENVOY_PID: server.pid } });
    await expect(handle.summary).rejects.toMatchObject({ code: 9653, locations: [{ file: "filter-chain.probe.ts", line: 10 }] });
    await expect(handle.attached).rejects.toMatchObject({ code: 9653 });
  });

  it("an event bpftrace prints with the wrong shape is counted malformed, never given to another event", async () => {
    // The script prints tag 1 with an int where the manifest declares the stack.
    const wrong = writeHandwritten(
      fixture.path,
      `uprobe:${fixture.path}:_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainName* /pid == $1/\n{\n  print((1, nsecs, pid, tid, comm, 5));\n}\n`,
    );
    const handle = run({ script: wrong, params: { ENVOY_PID: server.pid }, target: { pid: server.pid } });
    await handle.attached;
    await driveTraffic(server.port, [{ sni: "a" }, { sni: "b" }]);
    let seen = 0;
    const items = handle.items()[Symbol.asyncIterator]();
    for (;;) {
      const r = await items.next();
      if (r.done) break;
      expect(r.value.kind).not.toBe("event");
      if (r.value.kind === "malformed") {
        expect(r.value.malformed.reason).toMatch(/stack: expected a stack, got number 5/);
        if (++seen === 2) break;
      }
    }
    await items.return?.();
    const summary = await handle.summary;
    expect(summary.malformed).toBeGreaterThanOrEqual(2);
    expect(summary.totalEvents).toBe(0);
  });
});
