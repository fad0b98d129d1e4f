// The acceptance run of issue 5: one unchanged probe file (abi-readers.probe.ts), built by the whole
// pipeline (front end → resolver → ABI → backend) against each of the four fixture variants, run
// under the real bpftrace, decoded by the runtime: the same exact bytes on every variant.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe } from "vitest";
import { parseBpftraceTarget } from "../../compiler/backend/index.js";
import { formatDiagnostics } from "../../compiler/diagnostics/index.js";
import { compileProbeFile } from "../../compiler/frontend/index.js";
import { buildProbeFile } from "../../compiler/pipeline/index.js";
import { RealSymbolSource } from "../../compiler/pipeline/real-symbol-source.js";
import { buildFixture, variants119, type FixtureVariant } from "../fixtures/build-fixture.js";
import { decodeEvents, traceWhenReady, type DecodedEvent } from "./abi-helpers.js";
import { registerAbiChecks, SNIS } from "./abi-checks.js";
import { describeE2E } from "./harness.js";

const PROBE_FILE = join(dirname(fileURLToPath(import.meta.url)), "abi-readers.probe.ts");
const READY = "probec-abi-ready";
/** Events per connection in the probe file (stringRef fires twice); each is a head and a text line. */
const EVENTS_PER_CONNECTION = 12;

describeE2E("one probe file, four fixture variants", () => {
  for (const variant of variants119()) describe(variant.name, () => describeVariant(variant));
});

function describeVariant(variant: FixtureVariant): void {
  let events: DecodedEvent[] = [];
  let problems: string[] = [];
  let cut = 0;
  let scriptText = "";

  beforeAll(async () => {
    const built = await buildFixture({ compiler: variant.compiler, stringView: variant.stringView });
    const out = join(mkdtempSync(join(tmpdir(), "probec-abi-file-")), "abi.bt");
    const symbols = new RealSymbolSource({ cache: false });
    const result = buildProbeFile({
      input: PROBE_FILE,
      binaries: new Map([["envoy", built.path]]),
      output: out,
      target: parseBpftraceTarget("0.17"),
      params: new Map(),
      defines: {},
      probecVersion: "test",
      symbols,
      frontend: compileProbeFile,
    });
    symbols.close();
    if (!result.ok || !result.script || !result.manifest) {
      throw new Error(`probec build failed on ${variant.name}:\n${formatDiagnostics(result.diagnostics, { sources: result.sources })}`);
    }
    scriptText = result.script;
    const env = result.manifest.bpftraceEnv ?? {};
    cut = Number(env.BPFTRACE_STRLEN ?? 64) - 1;
    writeFileSync(out, result.script);
    const stdout = await traceWhenReady({
      binary: built.path,
      script: (pid) => ({ scriptFile: out, env, params: [pid] }), // FIXTURE_PID is $1
      ready: READY,
      expectedLines: SNIS.length * EVENTS_PER_CONNECTION * 2,
    });
    ({ events, problems } = decodeEvents(stdout, result.manifest));
  }, 180_000);

  registerAbiChecks(variant.name, () => ({ events, problems, cut, scriptText }));
}
