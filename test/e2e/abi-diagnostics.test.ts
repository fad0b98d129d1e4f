// The ABI's refusals through the whole pipeline: a probe file that asks the wrong thing of a real
// fixture binary gets a diagnostic naming the real C++ type, at the line and column of the read,
// and nothing is written. Needs the compilers (to build the fixture), not bpftrace.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseBpftraceTarget } from "../../compiler/backend/index.js";
import type { ProbeDiagnostic } from "../../compiler/diagnostics/index.js";
import { compileProbeFile } from "../../compiler/frontend/index.js";
import { buildProbeFile } from "../../compiler/pipeline/index.js";
import { RealSymbolSource } from "../../compiler/pipeline/real-symbol-source.js";
import { buildFixture } from "../fixtures/build-fixture.js";

const HEADER = `import { uprobe, uretprobe, binary, events } from "probec";
import type { SizedString, i64 } from "probec";
const envoy = binary("envoy");
export const ev = events<{ s: { v: SizedString }; n: { v: i64 } }>();
`;

let fixture = "";
beforeAll(async () => {
  fixture = (await buildFixture({ compiler: "gcc", stringView: "std-alias" })).path;
}, 180_000);

function build(body: string): { ok: boolean; diagnostics: ProbeDiagnostic[]; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "probec-abi-diag-"));
  const input = join(dir, "bad.probe.ts");
  writeFileSync(input, HEADER + body);
  const out = join(dir, "bad.bt");
  const symbols = new RealSymbolSource({ cache: false });
  try {
    const r = buildProbeFile({
      input,
      binaries: new Map([["envoy", fixture]]),
      output: out,
      target: parseBpftraceTarget("0.17"),
      params: new Map(),
      defines: {},
      probecVersion: "test",
      symbols,
      frontend: compileProbeFile,
    });
    return { ok: r.ok, diagnostics: r.diagnostics.filter((d) => d.category === "error"), out };
  } finally {
    symbols.close();
  }
}

describe("ABI diagnostics through probec build", () => {
  it("a string_view asked of a short names the type, the symbol and the place", () => {
    const r = build(`uprobe(envoy.fn("Envoy::Network::TcpListenerImpl::onSocketEvent"), (f) => {\n  ev.s({ v: f.arg(0).stringView() });\n});\n`);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toHaveLength(1);
    const [d] = r.diagnostics;
    expect(d!.code).toBe(9401);
    expect(d!.message).toContain("Envoy::Network::TcpListenerImpl::onSocketEvent(short)");
    expect(d!.message).toContain("has type 'short'");
    // Line 6 of the file (after the 4-line header), column 13: where `f.arg(0).stringView()` starts.
    expect(d!.loc).toMatchObject({ line: 6, column: 13 });
    expect(existsSync(r.out)).toBe(false);
  });

  it("a std::string asked of a string_view suggests .stringView()", () => {
    const r = build(`uprobe(envoy.fn("Envoy::StreamInfo::StreamInfoImpl::setFilterChainName"), (f) => {\n  ev.s({ v: f.arg(0).stdString() });\n});\n`);
    expect(r.diagnostics.map((d) => d.code)).toEqual([9401]);
    expect(r.diagnostics[0]!.message).toContain("has type 'std::basic_string_view<char, std::char_traits<char> >'; use .stringView()");
  });

  it("an argument past the end lists the parameters", () => {
    const r = build(`uprobe(envoy.fn("Envoy::Fixture::AbiProbe::svAfterDouble"), (f) => {\n  ev.n({ v: f.arg(2).int() });\n});\n`);
    expect(r.diagnostics.map((d) => d.code)).toEqual([9402]);
    expect(r.diagnostics[0]!.message).toContain("takes 2 parameters (double, std::basic_string_view<char, std::char_traits<char> >)");
  });

  it("a double lives in xmm0, which bpftrace cannot read", () => {
    const r = build(`uprobe(envoy.fn("Envoy::Fixture::AbiProbe::svAfterDouble"), (f) => {\n  ev.n({ v: f.arg(0).int() });\n});\n`);
    expect(r.diagnostics.map((d) => d.code)).toEqual([9401]);
    expect(r.diagnostics[0]!.message).toContain("has type 'double'");
  });

  it("an AArch64 register name on an x86-64 binary", () => {
    const r = build(`uprobe(envoy.fn("Envoy::Fixture::AbiProbe::svSecond"), (f) => {\n  ev.n({ v: f.unsafeReg("x0") });\n});\n`);
    expect(r.diagnostics.map((d) => d.code)).toEqual([9418]);
    expect(r.diagnostics[0]!.message).toContain("'x0' is not a register bpftrace knows on x86_64");
  });
});
