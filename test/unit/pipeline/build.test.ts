// The build driver on hand-made IR with a stand-in front end and symbol table, and the real ABI
// stage and backend: what is written, where, and the diagnostics for each bad input.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, test } from "vitest";
import { parseBpftraceTarget } from "../../../compiler/backend/index.js";
import { createDiagnostic } from "../../../compiler/diagnostics/index.js";
import type { ProbeProgram, SourceLoc } from "../../../compiler/ir/program.js";
import { readManifest } from "../../../compiler/ir/validate-manifest.js";
import { buildProbeFile, type BuildRequest } from "../../../compiler/pipeline/index.js";
import { frontendReturning, TableSymbolSource } from "./stand-ins.js";

let dir: string;
let input: string;
const at = (line: number, column = 1): SourceLoc => ({ file: input, line, column });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "probec-build-"));
  input = join(dir, "flow.probe.ts");
  writeFileSync(input, "// the stand-in front end does not read this\n");
});

const chainSymbol = {
  mangled: "_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainNameEN4absl11string_viewE",
  demangled: "Envoy::StreamInfo::StreamInfoImpl::setFilterChainName(absl::string_view)",
  address: 0x5000,
  size: 40,
  params: ["absl::string_view"],
};

function seedLike(): ProbeProgram {
  return {
    irVersion: 1,
    source: input,
    binaries: [{ name: "envoy", loc: at(3) }],
    params: [{ name: "ENVOY_PID", kind: "int", position: 1 }],
    maps: [],
    events: [{ name: "filterChain", tag: 1, loc: at(5), fields: [{ name: "name", type: { kind: "sizedString", limit: 200 } }] }],
    probes: [
      {
        id: "p0",
        loc: at(8),
        attach: { kind: "uprobe", binary: "envoy", patterns: ["Envoy::StreamInfo::StreamInfoImpl::setFilterChainName"], select: "first", optional: false },
        filter: { kind: "binary", op: "==", left: { kind: "builtin", name: "pid" }, right: { kind: "param", name: "ENVOY_PID" } },
        body: [{ kind: "emit", event: "filterChain", fields: [{ name: "name", value: { kind: "uArg", index: 0, read: { as: "stringView", limit: 100 }, loc: at(9, 30) } }], loc: at(9) }],
      },
      {
        id: "p1",
        loc: at(12),
        attach: { kind: "tracepoint", category: "syscalls", name: "sys_enter_close" },
        filter: null,
        body: [{ kind: "printf", format: "close %d\n", args: [{ kind: "tpArg", field: "fd" }], loc: at(13) }],
      },
    ],
  };
}

function request(over: Partial<BuildRequest> = {}, program: ProbeProgram | null = seedLike()): BuildRequest {
  return {
    input,
    binaries: new Map([["envoy", "/opt/envoy"]]),
    target: parseBpftraceTarget("0.17"),
    params: new Map(),
    defines: {},
    probecVersion: "0.1.0-test",
    symbols: new TableSymbolSource({ "Envoy::StreamInfo::StreamInfoImpl::setFilterChainName": [chainSymbol] }),
    frontend: frontendReturning(program),
    ...over,
  };
}

describe("a successful build", () => {
  test("writes FILE.bt and FILE.manifest.json next to the input, the argument read lowered by the ABI stage", () => {
    const r = buildProbeFile(request());
    expect(r.diagnostics.filter((d) => d.category === "error")).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.paths).toEqual({ script: join(dir, "flow.bt"), manifest: join(dir, "flow.manifest.json") });
    const bt = readFileSync(join(dir, "flow.bt"), "utf8");
    // absl's own string_view after `this`: ptr in rsi, length in rdx (what the seed reads by hand).
    expect(bt).toContain('print((1, nsecs, pid, tid, comm, str(reg("si"), reg("dx") < 100 ? reg("dx") : 100), reg("dx")));');
    expect(bt).toContain('uprobe:/opt/envoy:"_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainNameEN4absl11string_viewE"');
    const m = readManifest(join(dir, "flow.manifest.json"));
    expect(m.script).toBe("flow.bt");
    expect(m.bpftraceEnv).toEqual({ BPFTRACE_STRLEN: "101" });
    expect(m.binaries).toEqual([{ name: "envoy", path: "/opt/envoy", buildId: "abcdef", arch: "x86_64", stdlib: "libc++" }]);
    expect(m.probes[0].symbols[0]).toMatchObject({ binary: "envoy", mangled: chainSymbol.mangled, address: 0x5000 });
    expect(m.events[0].layout?.lines).toHaveLength(1);
    // Nothing else is left in the folder (no temporaries).
    expect(readdirSync(dir).sort()).toEqual(["flow.bt", "flow.manifest.json", "flow.probe.ts"]);
  });

  test("a relative --binary path is made absolute (bpftrace needs one)", () => {
    const r = buildProbeFile(request({ binaries: new Map([["envoy", "rel/envoy"]]), cwd: "/srv" }));
    expect(r.manifest?.binaries[0].path).toBe("/srv/rel/envoy");
    expect(r.script).toContain(`uprobe:/srv/rel/envoy:"_ZN5Envoy`);
  });

  test("-o OUT.bt names both files", () => {
    const out = join(dir, "out", "..", "custom.bt");
    const r = buildProbeFile(request({ output: out }));
    expect(r.paths).toEqual({ script: out, manifest: join(dir, "out", "..", "custom.manifest.json") });
    expect(existsSync(join(dir, "custom.bt"))).toBe(true);
    expect(readManifest(join(dir, "custom.manifest.json")).script).toBe("custom.bt");
  });

  test("--param values are recorded in the manifest; --define goes to the front end", () => {
    const frontend = frontendReturning(seedLike());
    const r = buildProbeFile(request({ params: new Map([["ENVOY_PID", "4242"]]), defines: { kprobes: "false" }, frontend }));
    expect(r.ok).toBe(true);
    expect(r.manifest?.params).toEqual([{ name: "ENVOY_PID", kind: "int", position: 1, default: "4242" }]);
    expect(frontend.calls[0].options.defines).toEqual({ kprobes: "false" });
  });

  test("--bpftrace-version 0.26 writes the newer syntax", () => {
    const r = buildProbeFile(request({ target: parseBpftraceTarget("0.26") }));
    expect(r.script).toContain("args.fd");
    expect(r.manifest?.bpftraceVersion).toBe("0.26");
  });
});

describe("bad input: diagnostics, exit 1, nothing written", () => {
  function failed(r: ReturnType<typeof buildProbeFile>) {
    expect(r.ok).toBe(false);
    expect(readdirSync(dir)).toEqual(["flow.probe.ts"]);
    return r.diagnostics.filter((d) => d.category === "error");
  }

  test("a binary used by a probe but not bound names the binary, the probe's line and the declaration", () => {
    const es = failed(buildProbeFile(request({ binaries: new Map() })));
    expect(es).toHaveLength(1);
    expect(es[0]).toMatchObject({ code: 9301, loc: at(8) });
    expect(es[0].message).toContain("--binary envoy=");
    expect(es[0].notes?.[0]).toContain(`${input}:3:1`);
  });

  test("--binary for a name the probe file does not declare", () => {
    const es = failed(buildProbeFile(request({ binaries: new Map([["envoy", "/opt/envoy"], ["envoyy", "/x"]]) })));
    expect(es[0].code).toBe(9610);
    expect(es[0].message).toContain("'envoyy'");
    expect(es[0].message).toContain("'envoy'");
  });

  test("a pattern that resolves to nothing is reported at the probe with the nearest candidates", () => {
    const es = failed(buildProbeFile(request({ symbols: new TableSymbolSource({}) })));
    expect(es[0]).toMatchObject({ code: 9302, loc: at(8) });
    expect(es[0].notes?.join("\n")).toContain("Envoy::Near::miss()");
  });

  test("an argument read as the wrong kind is refused by the ABI stage, naming the real type", () => {
    const intSymbol = { ...chainSymbol, demangled: "Envoy::StreamInfo::StreamInfoImpl::setFilterChainName(int)", params: ["int"] };
    const es = failed(buildProbeFile(request({ symbols: new TableSymbolSource({ "Envoy::StreamInfo::StreamInfoImpl::setFilterChainName": [intSymbol] }) })));
    expect(es[0].code).toBe(9401);
    expect(es[0].loc).toEqual(at(9, 30));
    expect(es[0].message).toContain("int");
  });

  test("an unknown --param and a non-integer value for an int param", () => {
    const es = failed(buildProbeFile(request({ params: new Map([["ENVOY_PIDD", "1"]]) })));
    expect(es[0].code).toBe(9612);
    const es2 = failed(buildProbeFile(request({ params: new Map([["ENVOY_PID", "12x"]]) })));
    expect(es2[0].code).toBe(9613);
  });

  test("front-end errors stop the build before resolution", () => {
    const symbols = new TableSymbolSource({});
    const es = failed(buildProbeFile(request({ symbols, frontend: frontendReturning(null, [createDiagnostic(9101, "nope", at(4))]) })));
    expect(es.map((e) => e.code)).toEqual([9101]);
    expect(symbols.opened).toEqual([]);
  });

  test("an output folder that does not exist: a write error and no temporaries", () => {
    const r = buildProbeFile(request({ output: join(dir, "missing", "x.bt") }));
    const es = failed(r);
    expect(es[0].code).toBe(9601);
    expect(es[0].message).toBe(`Cannot write '${join(dir, "missing", "x.bt")}': its folder does not exist.`);
  });

  test("an output that would overwrite the input", () => {
    // -o flow.probe.ts writes flow.probe.ts.bt; only the manifest name can meet the input.
    const odd = join(dir, "x.manifest.json");
    writeFileSync(odd, "input");
    const r = buildProbeFile(request({ input: odd, output: join(dir, "x.bt") }));
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0].code).toBe(9615);
    expect(readFileSync(odd, "utf8")).toBe("input");
    expect(buildProbeFile(request({ output: input })).paths.script).toBe(`${input}.bt`);
  });

  test("a manifest path that is a directory: neither file is written", () => {
    mkdirSync(join(dir, "flow.manifest.json"));
    const r = buildProbeFile(request());
    expect(r.ok).toBe(false);
    const es = r.diagnostics.filter((d) => d.category === "error");
    expect(es[0]).toMatchObject({ code: 9601 });
    expect(es[0].message).toContain("it is a directory");
    expect(readdirSync(dir).sort()).toEqual(["flow.manifest.json", "flow.probe.ts"]);
  });

  test("a failed build leaves an earlier good build untouched", () => {
    expect(buildProbeFile(request()).ok).toBe(true);
    const before = readFileSync(join(dir, "flow.bt"), "utf8");
    const r = buildProbeFile(request({ symbols: new TableSymbolSource({}) }));
    expect(r.ok).toBe(false);
    expect(readFileSync(join(dir, "flow.bt"), "utf8")).toBe(before);
  });
});

describe(".orElse groups", () => {
  // Two alternatives of one point, each with its own handler: setFilterChainName on old builds,
  // a stand-in "newer" function on new ones; both required, as a library would write them.
  function grouped(): ProbeProgram {
    const base = seedLike();
    const [old] = base.probes;
    const newer = {
      ...old,
      id: "p2",
      loc: at(20),
      attach: { kind: "uprobe" as const, binary: "envoy", patterns: ["Envoy::Network::ConnectionInfoSetterImpl::setFilterChainInfo"], select: "first" as const, optional: false, group: { id: "g0", index: 1 } },
      body: [{ kind: "printf" as const, format: "new\n", args: [], loc: at(21) }],
    };
    return { ...base, probes: [{ ...old, attach: { ...old.attach, group: { id: "g0", index: 0 } } } as ProbeProgram["probes"][number], newer, base.probes[1]] };
  }
  const infoSymbol = { ...chainSymbol, mangled: "_ZN5Envoy7Network24ConnectionInfoSetterImpl18setFilterChainInfoEv", demangled: "Envoy::Network::ConnectionInfoSetterImpl::setFilterChainInfo()", address: 0x6000, params: [] };

  test("the first member that resolves is attached; a missing required member is no error", () => {
    const r = buildProbeFile(request({ symbols: new TableSymbolSource({ "Envoy::Network::ConnectionInfoSetterImpl::setFilterChainInfo": [infoSymbol] }) }, grouped()));
    expect(r.diagnostics.filter((d) => d.category === "error")).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.script).toContain(infoSymbol.mangled);
    expect(r.script).not.toContain(chainSymbol.mangled);
    expect(r.manifest?.probes.find((p) => p.id === "p0")?.skipped).toBeDefined();
  });

  test("later members are skipped once one resolves", () => {
    const both = new TableSymbolSource({ "Envoy::StreamInfo::StreamInfoImpl::setFilterChainName": [chainSymbol], "Envoy::Network::ConnectionInfoSetterImpl::setFilterChainInfo": [infoSymbol] });
    const r = buildProbeFile(request({ symbols: both }, grouped()));
    expect(r.ok).toBe(true);
    expect(r.script).toContain(chainSymbol.mangled);
    expect(r.script).not.toContain(infoSymbol.mangled);
    expect(r.manifest?.probes.find((p) => p.id === "p2")?.skipped).toMatch(/alternative p0/);
  });

  test("when no member resolves, the group fails once, at its first member", () => {
    const r = buildProbeFile(request({ symbols: new TableSymbolSource({}) }, grouped()));
    expect(r.ok).toBe(false);
    const errors = r.diagnostics.filter((d) => d.category === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0].loc?.line).toBe(8);
    expect(errors[0].message).toMatch(/setFilterChainName/);
  });
});
