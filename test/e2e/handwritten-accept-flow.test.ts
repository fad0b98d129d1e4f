// The seed's accept-flow investigation, hand-written, on the fixture: every connection shows the
// same path the article traced on Envoy — accept4, epoll registration, the libevent lambda firing
// for the fd, the TLS inspector, ALPN, the filter chain, TCP_NODELAY, close — in that order.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { buildFixture, type BuiltFixture } from "../fixtures/build-fixture.js";
import { driveTraffic, expectedFilterChainName } from "../fixtures/traffic.js";
import { decodeBpftraceJsonString, describeE2E, traceFixture } from "./harness.js";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples", "handwritten", "seed-accept-flow.bt");
const SNIS = ["one.example", "two.example", "three.example"];

function events(stdout: string): string[] {
  const out: string[] = [];
  for (const line of stdout.split("\n")) {
    const m = /^\{"type": ?"printf", ?"data": ?"(.*)"\}$/.exec(line);
    if (m) out.push(decodeBpftraceJsonString(m[1]!).toString("utf8").replace(/\n$/, ""));
  }
  return out.filter((e) => e.startsWith("EV "));
}

/** Index of the first event matching `re` at or after `from`; -1 when absent. */
function find(evs: string[], re: RegExp, from = 0): number {
  for (let i = from; i < evs.length; i++) if (re.test(evs[i]!)) return i;
  return -1;
}

describeE2E("hand-written seed accept flow", () => {
  const built = new Map<string, BuiltFixture>();
  beforeAll(async () => {
    built.set("clang", await buildFixture({ compiler: "clang", stringView: "absl-class" }));
    built.set("gcc", await buildFixture({ compiler: "gcc", stringView: "absl-class" }));
  });

  for (const compiler of ["clang", "gcc"] as const) {
    it(`1.19-${compiler}-absl-class: accept4 → epoll → lambda → TLS inspector → chain → close, per connection`, async () => {
      const run = await traceFixture({
        binary: built.get(compiler)!.path,
        scriptFile: SCRIPT,
        json: true,
        params: ({ pid, binary }) => [pid, binary],
        traffic: (port) => driveTraffic(port, SNIS.map((sni) => ({ sni, alpn: ["h2", "http/1.1"] }))),
        until: (out) => events(out).filter((e) => e.startsWith("EV close")).length >= SNIS.length,
        untilTimeoutMs: 15_000,
      });
      expect(run.exitCode).toBe(0);
      expect(run.attachedProbes).toBeGreaterThan(8);
      const evs = events(run.stdout);
      const accepts = evs.flatMap((e, i) => (e.startsWith("EV accept4") ? [i] : []));
      expect(accepts).toHaveLength(SNIS.length);
      for (const [n, start] of accepts.entries()) {
        const end = n + 1 < accepts.length ? accepts[n + 1]! : evs.length;
        const conn = evs.slice(start, end);
        const fd = /fd=(\d+)/.exec(conn[0]!)![1]!;
        const steps = [
          new RegExp(`^EV epoll_ctl op=1 fd=${fd}$`),
          new RegExp(`^EV fired fd=${fd} events=0x[0-9a-f]+$`),
          /^EV tls .*TlsInspector6Filter6onReadEv$/,
          /^EV tls .*TlsInspector6Filter16parseClientHelloEPKvm$/,
          /^EV tls .*TlsInspector6Filter6onALPNEPKhj$/,
          /^EV alpn$/,
          /^EV tls .*TlsInspector6Filter12onServernameEN4absl11string_viewE$/,
          /^EV tls .*TlsInspector6Filter4doneEb$/,
          new RegExp(`^EV chain len=${expectedFilterChainName(SNIS[n]).length} name=chain:${SNIS[n]!.replace(/\./g, "\\.")}$`),
          new RegExp(`^EV setsockopt fd=${fd} level=6 optname=1 optval=1$`), // IPPROTO_TCP, TCP_NODELAY
          new RegExp(`^EV close fd=${fd}$`),
        ];
        let at = 0;
        for (const step of steps) {
          const i = find(conn, step, at);
          expect(i, `connection ${n}: ${step} after event ${at} in\n${conn.join("\n")}`).toBeGreaterThanOrEqual(0);
          at = i + 1;
        }
      }
    });
  }
});
