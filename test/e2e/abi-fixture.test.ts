// End to end: one set of probes, unchanged, on all four fixture variants (clang/libc++ and
// g++/libstdc++ × absl's string_view class and the std alias). The ABI stage picks the registers,
// stack slots and field order per variant; the backend prints the script; bpftrace runs it on the
// fixture; the runtime decodes the events; the decoded bytes must be exactly what the fixture had.
import { beforeAll, describe, expect, it } from "vitest";
import type { ArgRead, EventDecl, Expr, FieldType, IntType, Probe, Stmt } from "../../compiler/ir/program.js";
import type { AbiBinary } from "../../compiler/abi/index.js";
import { buildFixture, variants119, type FixtureVariant } from "../fixtures/build-fixture.js";
import { driveTraffic, expectedAbiValues, expectedFilterChainName, HOSTILE_SNIS, sniBytes } from "../fixtures/traffic.js";
import { describeE2E, startBpftrace, startFixture, type BpftraceSession, type RunningFixture } from "./harness.js";
import { buildScript, decodeEvents, LOC, pick, readSymbols, sizedBytes, type DecodedEvent, type ProbeSpec } from "./abi-helpers.js";

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

const SNIS = Object.values(HOSTILE_SNIS);
const READY = "probec-abi-ready";

function buildFor(path: string, variant: FixtureVariant) {
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
    const probe: Probe = { id: `p${i}`, loc: LOC(100 + i), attach: { kind: d.kind, binary: "envoy", patterns: [d.pattern.source], select: "all", optional: false }, filter: null, body };
    return { probe, symbols: pick(table, d.pattern) };
  });
  const ready: Probe = { id: "ready", loc: LOC(200), attach: { kind: "begin" }, filter: null, body: [{ kind: "printf", format: `${READY}\\n`, args: [], loc: LOC(200) }] };
  specs.push({ probe: ready, symbols: [] });
  return { ...buildScript(specs, events, binary), table };
}

describeE2E("ABI-aware reads on the four fixture variants", () => {
  for (const variant of variants119()) {
    describe(variant.name, () => describeVariant(variant));
  }
});

/**
 * Runs the script on the fixture and drives traffic only once BEGIN has printed: bpftrace reports
 * its probes as attached before the uprobes are live, and BEGIN fires after every attachment.
 */
async function traceWhenReady(binary: string, scriptFile: string, expectedLines: number): Promise<string> {
  const fixture: RunningFixture = await startFixture(binary);
  let bt: BpftraceSession | undefined;
  try {
    bt = await startBpftrace({ scriptFile, json: true });
    await bt.waitForOutput((out) => out.includes(READY), 60_000);
    await driveTraffic(fixture.port, SNIS.map((sni) => ({ sni })));
    await bt.waitForOutput((out) => out.split("\n").filter((l) => l.startsWith('{"type": "value"')).length >= expectedLines, 15_000);
    return (await bt.stop()).stdout;
  } finally {
    if (bt) await bt.stop(2_000);
    await fixture.stop(2_000);
  }
}

function describeVariant(variant: FixtureVariant): void {
  let events: DecodedEvent[] = [];
  let problems: string[] = [];
  let cut = 0;
  let scriptText = "";

  beforeAll(async () => {
    const built = await buildFixture({ compiler: variant.compiler, stringView: variant.stringView });
    const { script, file } = buildFor(built.path, variant);
    scriptText = script.text;
    // The backend copies at most BPFTRACE_STRLEN − 1 bytes of a string.
    cut = Number(script.bpftraceEnv.BPFTRACE_STRLEN ?? 64) - 1;
    const saved = process.env.BPFTRACE_STRLEN;
    Object.assign(process.env, script.bpftraceEnv);
    try {
      // Each event is a head line and a line for its text; stringRef fires twice per connection.
      const stdout = await traceWhenReady(built.path, file, SNIS.length * (DEFS.length + 1) * 2);
      ({ events, problems } = decodeEvents(stdout, script));
    } finally {
      if (saved === undefined) delete process.env.BPFTRACE_STRLEN;
      else process.env.BPFTRACE_STRLEN = saved;
    }
  }, 180_000);

  const byName = (name: string) => events.filter((e) => e.event === name);
  const expectSized = (v: DecodedEvent["fields"][string], want: Buffer, what: string) => {
    const got = sizedBytes(v);
    expect(got.length, `${what}: true length`).toBe(want.length);
    expect(got.bytes.toString("hex"), `${what}: bytes`).toBe(want.subarray(0, Math.min(want.length, cut)).toString("hex"));
  };

  it(`${variant.name}: every line decodes`, () => {
    expect(problems).toEqual([]);
    expect(scriptText).toContain("uprobe:");
  });

  it(`${variant.name}: SNI and filter-chain name, hostile ones included`, () => {
    expect(byName("sni")).toHaveLength(SNIS.length);
    expect(byName("chain")).toHaveLength(SNIS.length);
    SNIS.forEach((sni, i) => {
      expectSized(byName("sni")[i]!.fields.name, sniBytes(sni), `sni ${i}`);
      expectSized(byName("chain")[i]!.fields.name, expectedFilterChainName(sni), `chain ${i}`);
    });
    // The long SNI really was cut, and its true length still arrived.
    const long = sizedBytes(byName("sni")[SNIS.indexOf(HOSTILE_SNIS.long!)]!.fields.name);
    expect(long.length).toBeGreaterThan(long.bytes.length);
  });

  it(`${variant.name}: string_view as 2nd, 3rd, 7th parameter, split across registers and stack, after a double`, () => {
    SNIS.forEach((sni, i) => {
      const want = expectedAbiValues(sni);
      const second = byName("svSecond")[i]!.fields;
      expect(second.tag).toBe(want.svSecond.tag);
      expectSized(second.sv, want.svSecond.sv, `svSecond ${i}`);
      const third = byName("svThird")[i]!.fields;
      expect([third.tag, third.extra]).toEqual([want.svThird.tag, want.svThird.extra]);
      expect(third.self).toBe(second.self); // `this` is the same AbiProbe object
      expectSized(third.sv, want.svThird.sv, `svThird ${i}`);
      const seventh = byName("svSeventh")[i]!.fields;
      expect(seventh.a6).toBe(want.svSeventh.ints[5]);
      expectSized(seventh.sv, want.svSeventh.sv, `svSeventh ${i}`);
      const split = byName("svSplit")[i]!.fields;
      expect([split.a4, split.after]).toEqual([want.svSplit.ints[3], want.svSplit.after]);
      expectSized(split.sv, want.svSplit.sv, `svSplit ${i}`);
      expectSized(byName("svAfterDouble")[i]!.fields.sv, want.svAfterDouble.sv, `svAfterDouble ${i}`);
    });
  });

  it(`${variant.name}: string_view returned by value`, () => {
    SNIS.forEach((sni, i) => {
      const want = expectedAbiValues(sni);
      expectSized(byName("svReturnArg")[i]!.fields.sv, want.svReturn.arg, `svReturn arg ${i}`);
      expectSized(byName("svReturn")[i]!.fields.ret, want.svReturn.returns, `svReturn ${i}`);
    });
  });

  it(`${variant.name}: std::string by reference (short and long) and by pointer`, () => {
    SNIS.forEach((sni, i) => {
      const want = expectedAbiValues(sni);
      expectSized(byName("stringRef")[2 * i]!.fields.s, want.stringRefSmall, `stringRef small ${i}`);
      expectSized(byName("stringRef")[2 * i + 1]!.fields.s, want.stringRefLong, `stringRef long ${i}`);
      expectSized(byName("stringPtr")[i]!.fields.s, want.stringPtr, `stringPtr ${i}`);
    });
  });
}
