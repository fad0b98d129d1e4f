// End to end: every example in examples/ compiles against the fixture Envoy, loads into the real
// bpftrace (every program through the verifier), and the seed port, driven with traffic, prints the
// accept → TLS inspector → filter chain → epoll sequence, decoded from bpftrace's JSON lines with
// the manifest.
import { beforeAll, expect, it } from "vitest";
import { buildFixture, variants119, type BuiltFixture } from "../fixtures/build-fixture.js";
import { driveTraffic, expectedFilterChainName } from "../fixtures/traffic.js";
import { buildExample, decodeEvents, exampleProbeFiles, exitOnBegin, loadOnce, paramsFor, type DecodedEvent } from "./build-helpers.js";
import { describeE2E, startBpftrace, startFixture } from "./harness.js";

const SEED_PORT = "examples/envoy/accept-flow.probe.ts";

describeE2E("probec build: examples against the fixture", () => {
  const fixtures = new Map<string, BuiltFixture>();
  beforeAll(async () => {
    for (const v of variants119()) fixtures.set(v.name, await buildFixture(v));
  });
  const fixture = (name = "1.19-clang-absl-class") => fixtures.get(name)!.path;

  it("finds the examples", () => {
    expect(exampleProbeFiles()).toContain(SEED_PORT);
  });

  for (const example of exampleProbeFiles()) {
    it(`${example}: builds, and bpftrace 0.17 loads every program (verifier) and attaches`, async () => {
      const built = await buildExample(example, fixture());
      const target = await startFixture(fixture());
      try {
        const load = await loadOnce(built.script, paramsFor(built.manifest, target.pid), built.manifest.bpftraceEnv ?? {});
        // -v also prints INFO/DEBUG and "Attaching" lines; errors matter, and "Struct offset mismatch"
        // (bpftrace would print tuple values from the wrong offsets).
        const errors = load.output.split("\n").filter((l) => /error|offset mismatch/i.test(l) && !l.includes("RLIMIT_MEMLOCK"));
        expect(errors.map((l) => l.slice(0, 300))).toEqual([]);
        expect(load.exitCode).toBe(0);
        // One verified program per attach point (bpftrace 0.17 loads a program for each).
        const attachPoints = (exitOnBegin(built.script).match(/^(uprobe|uretprobe|tracepoint|kprobe|kretprobe|interval|profile):|^(BEGIN|END)$/gm) ?? []).length;
        expect(load.programs.length).toBe(attachPoints);
        expect(load.programs.every((p) => p.insns > 0)).toBe(true);
      } finally {
        await target.stop();
      }
    });
  }

  /** Runs the seed port on a fixture variant with traffic; returns the decoded events. */
  async function traceSeedPort(variant: string, snis: string[]): Promise<{ events: DecodedEvent[]; port: number }> {
    const built = await buildExample(SEED_PORT, fixture(variant));
    const target = await startFixture(fixture(variant));
    const bt = await startBpftrace({
      scriptFile: built.scriptPath,
      json: true,
      params: paramsFor(built.manifest, target.pid),
      env: { ...process.env, ...(built.manifest.bpftraceEnv ?? {}) },
    });
    try {
      const results = await driveTraffic(target.port, snis.map((sni) => ({ sni })));
      expect(results.every((r) => r.status === 200)).toBe(true);
      await bt.waitForOutput((out) => decodeEvents(out, built.manifest).filter((e) => e.event === "filterChain").length >= snis.length, 15_000);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await bt.stop();
      await target.stop();
    }
    return { events: decodeEvents(bt.stdout(), built.manifest), port: target.port };
  }

  for (const variant of ["1.19-clang-absl-class", "1.19-gcc-absl-class", "1.19-clang-std-alias", "1.19-gcc-std-alias"]) {
    it(`${variant}: the seed port prints accept → TLS inspector → filter chain → epoll, per connection`, async () => {
      const snis = ["api.example.com", "second.example.org"];
      const { events, port } = await traceSeedPort(variant, snis);
      const accepted = events.filter((e) => e.event === "accepted");
      const chains = events.filter((e) => e.event === "filterChain");
      expect(accepted.length, JSON.stringify(events.map((e) => e.event))).toBeGreaterThanOrEqual(snis.length);
      expect(chains.map((c) => c.fields.name)).toEqual(snis.map((s) => expectedFilterChainName(s).toString("latin1")));
      expect(chains.map((c) => c.lengths.name)).toEqual(snis.map((s) => BigInt(expectedFilterChainName(s).length)));
      // Small integers next to ntop() values decode right (bpftrace 0.17 misaligns them unless widened).
      for (const a of accepted) {
        expect(a.fields.daddr).toBe("127.0.0.1");
        // The fixture binds before bpftrace attaches, so the port the seed port learns from bind() is
        // usually unknown (0); when known it is the fixture's.
        expect([0n, BigInt(port)]).toContain(a.fields.lport);
        expect(a.fields.dport).toBeGreaterThan(1023n);
        expect(a.fields.dport).toBeLessThan(65536n);
      }

      for (const [i, chain] of chains.entries()) {
        // The connection this filter chain was chosen for: the last accept before it.
        const accept = accepted.filter((a) => a.nsecs < chain.nsecs).at(-1);
        expect(accept, `no accept before filter chain ${i}`).toBeDefined();
        const between = events.filter((e) => e.nsecs > accept!.nsecs && e.nsecs < chain.nsecs);
        // On the worker that handles the fd: libevent fires the fd's callback, the TLS inspector runs.
        const fired = between.find((e) => e.event === "eventFired.begin" && e.fields.fd === accept!.fields.fd);
        expect(fired, `no eventFired for fd ${accept!.fields.fd}`).toBeDefined();
        const tls = between.filter((e) => e.event === "tlsInspector" && e.tid === chain.tid && e.nsecs > fired!.nsecs);
        expect(tls.length).toBeGreaterThan(0);
        expect(String(tls[0]!.fields.probe)).toMatch(/TlsInspector/);
        // …and the worker goes back to epoll_wait: the wake round ends after the filter chain.
        const wakeEnd = events.find((e) => e.event === "wakeRound.end" && e.tid === chain.tid && e.nsecs > chain.nsecs);
        const epollAfter = wakeEnd ?? events.find((e) => (e.event === "epollCtl" || e.event === "closed") && e.nsecs > chain.nsecs);
        expect(epollAfter, "no epoll activity after the filter chain").toBeDefined();
      }
    });
  }
});
