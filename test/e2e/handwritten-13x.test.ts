// Generation 1.3x: setFilterChainName is gone; the name reaches setFilterChainInfo inside a
// shared_ptr<const FilterChainInfo>. Hand-written probes that follow the documented object layout
// (README.md, "The fixture Envoy") read the exact name on both standard libraries, short and long.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { buildFixture, type BuiltFixture } from "../fixtures/build-fixture.js";
import { driveTraffic, expectedFilterChainName, HOSTILE_SNIS } from "../fixtures/traffic.js";
import { decodeBpftraceJsonString, describeE2E, traceFixture } from "./harness.js";

const handwritten = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples", "handwritten");
const STR_LIMIT = 63;
// "chain:ab" is a short (SSO) string in both libraries; the others are long.
const SNIS = ["ab", HOSTILE_SNIS.quotes!, HOSTILE_SNIS.utf8!, HOSTILE_SNIS.long!, ""];

function seen(stdout: string): { len: number; name: Buffer }[] {
  const out: { len: number; name: Buffer }[] = [];
  for (const line of stdout.split("\n")) {
    const m = /^\{"type": ?"printf", ?"data": ?"(.*)"\}$/.exec(line);
    if (!m) continue;
    const c = /^setFilterChainInfo len=(\d+) name=(.*)\n$/s.exec(decodeBpftraceJsonString(m[1]!).toString("latin1"));
    if (c) out.push({ len: Number(c[1]), name: Buffer.from(c[2]!, "latin1") });
  }
  return out;
}

describeE2E("hand-written probe on the 1.3x generation's setFilterChainInfo", () => {
  const built = new Map<string, BuiltFixture>();
  beforeAll(async () => {
    built.set("gcc", await buildFixture({ compiler: "gcc", generation: "1.3x" }));
    built.set("clang", await buildFixture({ compiler: "clang", generation: "1.3x" }));
  });

  for (const [compiler, script] of [
    ["gcc", "filter-chain-info-libstdcxx.bt"],
    ["clang", "filter-chain-info-libcxx.bt"],
  ] as const) {
    it(`1.3x-${compiler}: the name through shared_ptr -> FilterChainImpl -> std::string`, async () => {
      const run = await traceFixture({
        binary: built.get(compiler)!.path,
        scriptFile: join(handwritten, script),
        json: true,
        params: ({ pid, binary }) => [pid, binary],
        traffic: (port) => driveTraffic(port, SNIS.map((sni) => ({ sni }))),
        until: (out) => seen(out).length >= SNIS.length,
      });
      expect(run.exitCode).toBe(0);
      const calls = seen(run.stdout);
      expect(calls).toHaveLength(SNIS.length);
      for (const [i, sni] of SNIS.entries()) {
        const expected = expectedFilterChainName(sni);
        expect(calls[i]!.len).toBe(expected.length);
        expect(calls[i]!.name.equals(expected.subarray(0, STR_LIMIT))).toBe(true);
      }
    });
  }
});
