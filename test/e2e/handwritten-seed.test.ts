// The seed's hand-written way of reading setFilterChainName's string_view (rsi = data, rdx = length)
// under the real bpftrace, on the four 1.19 fixture variants. It is right for absl's class and for
// libc++'s std::string_view, and wrong for libstdc++'s ({len, str}) — the bug probec removes.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { buildFixture, variants119, type BuiltFixture } from "../fixtures/build-fixture.js";
import { driveTraffic, expectedFilterChainName, HOSTILE_SNIS } from "../fixtures/traffic.js";
import { decodeBpftraceJsonString, describeE2E, traceFixture } from "./harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SCRIPT = join(root, "examples", "handwritten", "seed-filter-chain.bt");
// bpftrace 0.17's default string size is 64 bytes, NUL included.
const STR_LIMIT = 63;

interface SeenCall {
  len: bigint;
  name: Buffer;
}

/** The script's printf lines, decoded byte-exactly from bpftrace's JSON. */
function seenCalls(stdout: string): SeenCall[] {
  const calls: SeenCall[] = [];
  for (const line of stdout.split("\n")) {
    const m = /^\{"type": ?"printf", ?"data": ?"(.*)"\}$/.exec(line);
    if (!m) continue;
    const text = decodeBpftraceJsonString(m[1]!).toString("latin1");
    const call = /^setFilterChainName tid=\d+ len=(\d+) name=(.*)\n$/s.exec(text);
    if (call) calls.push({ len: BigInt(call[1]!), name: Buffer.from(call[2]!, "latin1") });
  }
  return calls;
}

const SNIS = [HOSTILE_SNIS.plain!, HOSTILE_SNIS.quotes!, HOSTILE_SNIS.backslashes!, HOSTILE_SNIS.utf8!, HOSTILE_SNIS.long!, ""];

describeE2E("hand-written seed probe on setFilterChainName", () => {
  const built = new Map<string, BuiltFixture>();
  beforeAll(async () => {
    for (const v of variants119()) built.set(v.name, await buildFixture(v));
  });

  async function trace(variantName: string) {
    const fixture = built.get(variantName)!;
    const run = await traceFixture({
      binary: fixture.path,
      scriptFile: SCRIPT,
      json: true,
      params: ({ pid, binary }) => [pid, binary],
      traffic: (port) => driveTraffic(port, SNIS.map((sni) => ({ sni }))),
      until: (out) => seenCalls(out).length >= SNIS.length,
    });
    expect(run.attachedProbes).toBeGreaterThanOrEqual(1);
    expect(run.exitCode).toBe(0);
    expect(run.traffic.every((r) => r.status === 200)).toBe(true);
    return seenCalls(run.stdout);
  }

  for (const name of ["1.19-clang-absl-class", "1.19-gcc-absl-class", "1.19-clang-std-alias"]) {
    it(`${name}: rsi/rdx give the exact name and length`, async () => {
      const calls = await trace(name);
      expect(calls).toHaveLength(SNIS.length);
      for (const [i, sni] of SNIS.entries()) {
        const expected = expectedFilterChainName(sni);
        expect(calls[i]!.len).toBe(BigInt(expected.length));
        // str() stops at bpftrace's string limit: the long name is cut, and the length says so.
        expect(calls[i]!.name.equals(expected.subarray(0, STR_LIMIT))).toBe(true);
      }
      expect(calls.some((c) => c.len > BigInt(STR_LIMIT))).toBe(true);
    });
  }

  it("1.19-gcc-std-alias: the same registers read the WRONG thing (libstdc++ string_view is {len, str})", async () => {
    const calls = await trace("1.19-gcc-std-alias");
    expect(calls).toHaveLength(SNIS.length);
    for (const [i, sni] of SNIS.entries()) {
      const expected = expectedFilterChainName(sni);
      // rsi holds the length, so str() reads from a tiny address and gets nothing;
      // rdx holds the data pointer, so the "length" is a user-space address.
      expect(calls[i]!.name.equals(expected.subarray(0, STR_LIMIT))).toBe(false);
      expect(calls[i]!.name.length).toBe(0);
      expect(calls[i]!.len).not.toBe(BigInt(expected.length));
      expect(calls[i]!.len > 0xffffn).toBe(true);
    }
  });
});
