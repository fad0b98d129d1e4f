// `run({ probeFile })` builds the .probe.ts with probec build first, then runs and decodes it:
// the typed events of the probe file's `events<…>()` come back from the real bpftrace.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { EventsOf } from "../../dsl/events.js";
import { run } from "../../runtime/index.js";
import { buildFixture, type BuiltFixture } from "../fixtures/build-fixture.js";
import { driveTraffic, expectedFilterChainName, HOSTILE_SNIS } from "../fixtures/traffic.js";
import type { ev } from "../fixtures/probes/basic.probe.js";
import { describeE2E, startFixture, type RunningFixture } from "./harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PROBE = join(root, "test", "fixtures", "probes", "basic.probe.ts");

describeE2E("run({ probeFile }) builds, runs and decodes a probe file", () => {
  let fixture: BuiltFixture;
  let server: RunningFixture;
  beforeAll(async () => {
    fixture = await buildFixture({ compiler: "clang", stringView: "absl-class", generation: "1.19" });
    server = await startFixture(fixture.path);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("gives the probe file's typed events", { timeout: 120_000 }, async () => {
    const snis = [HOSTILE_SNIS.utf8!, HOSTILE_SNIS.quotes!];
    const handle = run<EventsOf<typeof ev>>({
      probeFile: PROBE,
      binaries: { envoy: fixture.path },
      params: { ENVOY_PID: server.pid },
      target: { pid: server.pid },
    });
    await handle.attached;
    const traffic = driveTraffic(server.port, snis.map((sni) => ({ sni })));
    const names: Buffer[] = [];
    let accepted = 0;
    for await (const e of handle) {
      if (e.event === "accepted") accepted++;
      if (e.event === "filterChain") {
        names.push(Buffer.from(e.fields.name.text, "utf8"));
        if (names.length === snis.length) break;
      }
    }
    await traffic;
    const summary = await handle.summary;
    expect(names).toEqual(snis.map((s) => expectedFilterChainName(s)));
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(summary.malformed).toBe(0);
  });
});
