// End to end: one set of probes, unchanged, on all four fixture variants (clang/libc++ and
// g++/libstdc++ × absl's string_view class and the std alias). The ABI stage picks the registers,
// stack slots and field order per variant; the backend prints the script; bpftrace runs it on the
// fixture; the runtime decodes the events; the decoded bytes must be exactly what the fixture had.
import { beforeAll, describe } from "vitest";
import type { ArgRead, EventDecl, Expr, FieldType, IntType, Probe, Stmt } from "../../compiler/ir/program.js";
import type { AbiBinary } from "../../compiler/abi/index.js";
import { buildFixture, variants119, type FixtureVariant } from "../fixtures/build-fixture.js";
import { describeE2E } from "./harness.js";
import { buildScript, decodeEvents, LOC, onlyPid, pick, readSymbols, traceWhenReady, type DecodedEvent, type ProbeSpec } from "./abi-helpers.js";
import { registerAbiChecks, SNIS } from "./abi-checks.js";

const I32: IntType = { kind: "int", bits: 32, signed: true };
const I64: IntType = { kind: "int", bits: 64, signed: true };
const SV: ArgRead = { as: "stringView", limit: 200 };
const SIZED = { kind: "sizedString", limit: 200 } as const;

const arg = (index: number, read: ArgRead): Expr => ({ kind: "uArg", index, read, loc: LOC(10 + index) });

interface ProbeDef {
  name: string;
  pattern: RegExp;
  kind: "uprobe" | "uretprobe";
  fields: Record<string, { value: Expr; type: FieldType["type"] }>;
}

const DEFS: ProbeDef[] = [
  { name: "sni", pattern: /TlsInspector::Filter::onServername\(/, kind: "uprobe", fields: { name: { value: arg(0, SV), type: SIZED } } },
  { name: "chain", pattern: /StreamInfoImpl::setFilterChainName\(/, kind: "uprobe", fields: { name: { value: arg(0, SV), type: SIZED } } },
  {
    name: "svSecond",
    pattern: /Fixture::AbiProbe::svSecond\(/,
    kind: "uprobe",
    fields: { self: { value: { kind: "uThis" }, type: { kind: "pointer" } }, tag: { value: arg(0, { as: "int", type: I32 }), type: I32 }, sv: { value: arg(1, SV), type: SIZED } },
  },
  {
    name: "svThird",
    pattern: /Fixture::AbiProbe::svThird\(/,
    kind: "uprobe",
    fields: {
      self: { value: { kind: "uThis" }, type: { kind: "pointer" } },
      tag: { value: arg(0, { as: "int", type: I32 }), type: I32 },
      extra: { value: arg(1, { as: "int", type: I64 }), type: I64 },
      sv: { value: arg(2, SV), type: SIZED },
    },
  },
  {
    name: "svSeventh",
    pattern: /Fixture::AbiProbe::svSeventh\(/,
    kind: "uprobe",
    fields: { a6: { value: arg(5, { as: "int", type: I32 }), type: I32 }, sv: { value: arg(6, SV), type: SIZED } },
  },
  {
    name: "svSplit",
    pattern: /Fixture::AbiProbe::svSplit\(/,
    kind: "uprobe",
    fields: { a4: { value: arg(3, { as: "int", type: I32 }), type: I32 }, sv: { value: arg(4, SV), type: SIZED }, after: { value: arg(5, { as: "int", type: I32 }), type: I32 } },
  },
  { name: "svAfterDouble", pattern: /Fixture::AbiProbe::svAfterDouble\(/, kind: "uprobe", fields: { sv: { value: arg(1, SV), type: SIZED } } },
  { name: "svReturnArg", pattern: /Fixture::AbiProbe::svReturn\(/, kind: "uprobe", fields: { sv: { value: arg(0, SV), type: SIZED } } },
  { name: "svReturn", pattern: /Fixture::AbiProbe::svReturn\(/, kind: "uretprobe", fields: { ret: { value: { kind: "uRet", read: SV }, type: SIZED } } },
  { name: "stringRef", pattern: /Fixture::AbiProbe::stringRef\(/, kind: "uprobe", fields: { s: { value: arg(0, { as: "stdString", limit: 200 }), type: SIZED } } },
  { name: "stringPtr", pattern: /Fixture::AbiProbe::stringPtr\(/, kind: "uprobe", fields: { s: { value: arg(0, { as: "stdString", limit: 200 }), type: SIZED } } },
];

const READY = "probec-abi-ready";

function buildFor(path: string, variant: FixtureVariant, pid: number) {
  const table = readSymbols(path);
  const binary: AbiBinary = { name: "envoy", path, buildId: null, arch: "x86_64", stdlib: variant.stdlib, abslStringView: table.abslStringView };
  const events: EventDecl[] = DEFS.map((d, i) => ({
    name: d.name,
    tag: i + 1,
    loc: LOC(100 + i),
    fields: Object.entries(d.fields).map(([name, f]) => ({ name, type: f.type })),
  }));
  const specs: ProbeSpec[] = DEFS.map((d, i) => {
    const body: Stmt[] = [{ kind: "emit", event: d.name, fields: Object.entries(d.fields).map(([name, f]) => ({ name, value: f.value })), loc: LOC(100 + i) }];
    const probe: Probe = { id: `p${i}`, loc: LOC(100 + i), attach: { kind: d.kind, binary: "envoy", patterns: [d.pattern.source], select: "all", optional: false }, filter: onlyPid(pid), body };
    return { probe, symbols: pick(table, d.pattern) };
  });
  const ready: Probe = { id: "ready", loc: LOC(200), attach: { kind: "begin" }, filter: null, body: [{ kind: "printf", format: `${READY}\n`, args: [], loc: LOC(200) }] };
  specs.push({ probe: ready, symbols: [] });
  return { ...buildScript(specs, events, binary), table };
}

describeE2E("ABI-aware reads on the four fixture variants", () => {
  for (const variant of variants119()) {
    describe(variant.name, () => describeVariant(variant));
  }
});

function describeVariant(variant: FixtureVariant): void {
  let events: DecodedEvent[] = [];
  let problems: string[] = [];
  let cut = 0;
  let scriptText = "";

  beforeAll(async () => {
    const built = await buildFixture({ compiler: variant.compiler, stringView: variant.stringView });
    let builtScript: ReturnType<typeof buildFor>["script"] | undefined;
    const stdout = await traceWhenReady({
      binary: built.path,
      script: (pid) => {
        const { script, file } = buildFor(built.path, variant, pid);
        builtScript = script;
        return { scriptFile: file, env: script.bpftraceEnv };
      },
      ready: READY,
      // Each event is a head line and a line for its text; stringRef fires twice per connection.
      expectedLines: SNIS.length * (DEFS.length + 1) * 2,
    });
    const script = builtScript!;
    scriptText = script.text;
    // The backend copies at most BPFTRACE_STRLEN − 1 bytes of a string.
    cut = Number(script.bpftraceEnv.BPFTRACE_STRLEN ?? 64) - 1;
    ({ events, problems } = decodeEvents(stdout, script));
  }, 180_000);

  registerAbiChecks(variant.name, () => ({ events, problems, cut, scriptText }));
}
