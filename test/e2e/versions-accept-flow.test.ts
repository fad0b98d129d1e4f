// "Write once, trace any Envoy": the library-based seed port (examples/envoy/accept-flow-lib.probe.ts),
// unchanged, is built against every fixture variant — both generations (Envoy 1.19 and 1.3x shapes),
// clang/libc++ and g++/libstdc++, absl's string_view class or std's — run under the real bpftrace
// while connections with hostile SNIs go through, and must decode the same event sequence for each
// connection everywhere, filter-chain names included.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { formatDiagnostics } from "../../compiler/diagnostics/index.js";
import { buildFile } from "../../compiler/pipeline/index.js";
import { run, type ProbeEvent, type SizedStringValue } from "../../runtime/index.js";
import { allVariants, buildFixture } from "../fixtures/build-fixture.js";
import { driveTraffic, expectedFilterChainName, HOSTILE_SNIS } from "../fixtures/traffic.js";
import { describeE2E, startFixture } from "./harness.js";

const SCRIPT = new URL("../../examples/envoy/accept-flow-lib.probe.ts", import.meta.url).pathname;
const SNIS = [HOSTILE_SNIS.plain!, HOSTILE_SNIS.quotes!, HOSTILE_SNIS.utf8!, "x".repeat(100), ""];

/**
 * Events whose count depends on timing (how TCP segments and epoll rounds fall), not on the Envoy
 * version: wake rounds, libevent callbacks and epoll registrations. They are checked apart.
 */
const TIMING_DEPENDENT = new Set(["wakeRound.begin", "wakeRound.end", "eventFired.begin", "eventFired.end", "epollCtlAdd", "connectionFileEvent"]);

/** One event as compared across variants: its name and the fields that do not vary run to run. */
function stable(e: ProbeEvent<string, Record<string, unknown>>): string {
  const f = e.fields;
  switch (e.event) {
    case "accepted":
      return `accepted peer=${String(f.peer)}`;
    case "setsockopt":
      return `setsockopt level=${String(f.level)} optname=${String(f.optname)} optval=${String(f.optval)}`;
    case "closed":
      return "closed";
    default: {
      const parts = Object.entries(f).map(([k, v]) => {
        if (v !== null && typeof v === "object" && "length" in v && "text" in v) {
          const s = v as SizedStringValue;
          return `${k}=${JSON.stringify(s.text)}/${s.length}${s.truncated ? "…" : ""}`;
        }
        return `${k}=${JSON.stringify(v)}`;
      });
      return [e.event, ...parts].join(" ");
    }
  }
}

interface VariantRun {
  connections: string[][];
  timing: Map<string, number>;
}

const runs = new Map<string, VariantRun>();
const outDir = mkdtempSync(join(tmpdir(), "probec-versions-"));

describeE2E("the library-based seed port across Envoy generations and toolchains", () => {
  for (const variant of allVariants()) {
    it(`${variant.name}: builds and runs unchanged`, async () => {
      const fixture = await buildFixture(variant);
      const built = await buildFile(SCRIPT, { binaries: { envoy: fixture.path }, output: join(outDir, `${variant.name}.bt`), cwd: process.cwd() });
      expect(built.ok, formatDiagnostics(built.diagnostics, { cwd: process.cwd() })).toBe(true);

      const server = await startFixture(fixture.path);
      try {
        const handle = run({ script: built.paths.script, params: { ENVOY_PID: server.pid }, target: { pid: server.pid } });
        await handle.attached;
        // A warm-up connection first: bpftrace 0.17 may still be arming a uprobe when it reports
        // itself attached, and what happens in that gap is lost. The measured traffic starts once
        // the warm-up's close has been seen, and only events after it are compared.
        const warmUp = driveTraffic(server.port, [{ sni: "warm-up.example" }]);
        // Never wait forever for a close that was not seen: stop tracing and let the checks say what is missing.
        const guard = setTimeout(() => void handle.stop(), 90_000);
        let traffic: Promise<unknown> | null = null;
        let events: ProbeEvent<string, Record<string, unknown>>[] = [];
        let closed = 0;
        for await (const e of handle) {
          events.push(e as ProbeEvent<string, Record<string, unknown>>);
          if (e.event !== "closed") continue;
          closed++;
          if (traffic === null) {
            await warmUp;
            events = [];
            traffic = driveTraffic(server.port, SNIS.map((sni) => ({ sni, alpn: ["h2", "http/1.1"] })));
          } else if (closed === SNIS.length + 1) break;
        }
        clearTimeout(guard);
        await traffic;
        const summary = await handle.summary;
        expect(summary.malformed).toBe(0);
        expect(summary.lost).toBe(0);

        // One connection: from the listener's socket event to the close of its descriptor.
        const connections: string[][] = [];
        const timing = new Map<string, number>();
        let current: string[] | null = null;
        for (const e of events) {
          if (TIMING_DEPENDENT.has(e.event)) {
            timing.set(e.event, (timing.get(e.event) ?? 0) + 1);
            continue;
          }
          if (e.event === "listenerSocketEvent") connections.push((current = []));
          current?.push(stable(e));
        }
        runs.set(variant.name, { connections, timing });

        expect(connections).toHaveLength(SNIS.length);
        connections.forEach((c, i) => {
          const chain = expectedFilterChainName(SNIS[i]);
          const fc = c.find((s) => s.startsWith("filterChain "));
          const shown = chain.length <= 64 ? `${JSON.stringify(chain.toString("utf8"))}/${chain.length}` : `${JSON.stringify(chain.subarray(0, 64).toString("utf8"))}/${chain.length}…`;
          expect(fc, c.join("\n")).toBe(`filterChain name=${shown}`);
          expect(c[c.length - 1]).toBe("closed");
        });
        // Every connection woke the worker and ran libevent callbacks. Spans close, except the one
        // the last close happened in: the loop stopped reading at that close.
        const begun = timing.get("eventFired.begin") ?? 0;
        expect(begun).toBeGreaterThanOrEqual(SNIS.length);
        expect(begun - (timing.get("eventFired.end") ?? 0)).toBeOneOf([0, 1]);
        expect(timing.get("wakeRound.begin") ?? 0).toBeGreaterThanOrEqual(SNIS.length);
      } finally {
        await server.stop();
      }
    }, 240_000);
  }

  it("decodes the same event sequence per connection on every variant", (ctx) => {
    if (runs.size === 0) ctx.skip(); // only when run alone (vitest -t): it compares the runs above
    const names = allVariants().map((v) => v.name);
    const reference = runs.get(names[0]!);
    expect(reference, "the first variant's run").toBeDefined();
    for (const name of names.slice(1)) {
      const other = runs.get(name);
      expect(other, `${name} ran`).toBeDefined();
      expect(other!.connections, `${name} vs ${names[0]}`).toEqual(reference!.connections);
    }
    if (process.env.PROBEC_SHOW_SEQUENCE) console.log(reference!.connections.map((c) => c.join("\n")).join("\n--\n"));
    // The sequence is the whole investigation, not a few markers.
    expect(reference!.connections[0]).toEqual(expect.arrayContaining([
      "listenerSocketEvent", "accepted peer=127.0.0.1", "listenerOnAccept", "tlsOnAccept",
      "setsockopt level=6 optname=1 optval=1", "http1MessageComplete", "closed",
    ]));
  });
});
