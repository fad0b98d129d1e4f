// `run({ probeFile })` builds the .probe.ts with probec build first, then runs and decodes it:
// the typed events of the probe file's `events<…>()` come back from the real bpftrace.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { events, type EventsOf } from "../../dsl/events.js";
import type { SizedString } from "../../dsl/types.js";
import { run } from "../../runtime/index.js";
import { buildFixture, type BuiltFixture } from "../fixtures/build-fixture.js";
import { driveTraffic, expectedFilterChainName, HOSTILE_SNIS } from "../fixtures/traffic.js";
import { describeE2E, startFixture, type RunningFixture } from "./harness.js";

// The probe file the test builds; `ev` below declares the same events, for the types.
const PROBE_SOURCE = `import { binary, param, uprobe, events, pid } from "probec";
import type { SizedString } from "probec";

const envoy = binary("envoy");
const envoyPid = param.int("ENVOY_PID");

export const ev = events<{ filterChain: { name: SizedString } }>();

uprobe(envoy.fn("Envoy::StreamInfo::StreamInfoImpl::setFilterChainName"), { when: () => pid === envoyPid }, (f) => {
  ev.filterChain({ name: f.arg(0).stringView() });
});
`;
const ev = events<{ filterChain: { name: SizedString } }>();

describeE2E("run({ probeFile }) builds, runs and decodes a probe file", () => {
  let fixture: BuiltFixture;
  let server: RunningFixture;
  let probeFile: string;
  beforeAll(async () => {
    probeFile = join(mkdtempSync(join(tmpdir(), "probec-run-probe-")), "chain.probe.ts");
    writeFileSync(probeFile, PROBE_SOURCE);
    fixture = await buildFixture({ compiler: "clang", stringView: "absl-class", generation: "1.19" });
    server = await startFixture(fixture.path);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("gives the probe file's typed events", { timeout: 120_000 }, async () => {
    const snis = [HOSTILE_SNIS.utf8!, HOSTILE_SNIS.quotes!];
    const handle = run<EventsOf<typeof ev>>({
      probeFile,
      binaries: { envoy: fixture.path },
      params: { ENVOY_PID: server.pid },
      target: { pid: server.pid },
    });
    await handle.attached;
    const traffic = driveTraffic(server.port, snis.map((sni) => ({ sni })));
    const names: Buffer[] = [];
    for await (const e of handle) {
      if (e.event === "filterChain") {
        names.push(Buffer.from(e.fields.name.text, "utf8"));
        if (names.length === snis.length) break;
      }
    }
    await traffic;
    const summary = await handle.summary;
    expect(names).toEqual(snis.map((s) => expectedFilterChainName(s)));
    expect(summary.events.filterChain).toBe(snis.length);
    expect(summary.malformed).toBe(0);
  });
});
