// The Envoy library through the real build pipeline (in memory, no bpftrace): the seed port on top
// of it builds unchanged for every fixture variant, and the filter-chain read follows the binary —
// the string_view reader on 1.19, the libc++ or libstdc++ std::string layout on 1.3x.
import { beforeAll, describe, expect, test } from "vitest";
import { buildFile, type BuildResult } from "../../../compiler/pipeline/index.js";
import { allVariants, buildFixture } from "../../fixtures/build-fixture.js";
import { LIB_SCRIPT } from "./fixtures.js";

const builds = new Map<string, BuildResult>();

beforeAll(async () => {
  for (const v of allVariants()) {
    const fixture = await buildFixture(v);
    builds.set(v.name, await buildFile(LIB_SCRIPT, { binaries: { envoy: fixture.path }, write: false, symbolCache: false }));
  }
}, 600_000);

/** The block of the generated script that a given source line produced (up to the next blank line). */
function blocksFrom(script: string, file: string): string[] {
  return script.split("\n\n").filter((b) => b.includes(`// ${file}:`));
}

describe("examples/envoy/accept-flow-lib.probe.ts through probec build", () => {
  test.each(allVariants().map((v) => v.name))("%s: builds with no error, every library event declared", (name) => {
    const b = builds.get(name)!;
    expect(b.diagnostics.filter((d) => d.category === "error")).toEqual([]);
    expect(b.ok).toBe(true);
    const events = b.manifest!.events.map((e) => e.name);
    for (const e of ["listenerSocketEvent", "listenerOnAccept", "tlsClientHello", "tlsServerName", "filterChain", "connectionCreated", "http1Parse", "http1MessageComplete", "wakeRound.begin", "wakeRound.end", "accepted", "closed"]) {
      expect(events).toContain(e);
    }
  });

  test("the filter-chain name: setFilterChainName on 1.19, setFilterChainInfo with the right string layout on 1.3x", () => {
    for (const [name, b] of builds) {
      const blocks = blocksFrom(b.script!, "filter-chain.ts").filter((x) => x.includes("uprobe:"));
      expect(blocks, name).toHaveLength(1); // exactly one alternative attached
      const block = blocks[0]!;
      if (name.startsWith("1.19")) {
        expect(block).toContain("setFilterChainName");
      } else if (name.includes("clang")) {
        expect(block).toContain("NSt3__110shared_ptr");
        expect(block).toMatch(/\$tag & 1/); // libc++: short/long mode from bit 0
      } else {
        expect(block).toContain("St10shared_ptrIKNS0_15FilterChainInfoEE");
        expect(block).not.toMatch(/& 1\)/); // libstdc++: {data, size} always
      }
    }
  });

  test("parseClientHello and the HTTP/1 parser: the alternative of each generation", () => {
    for (const [name, b] of builds) {
      // Attach lines only: comments name every alternative's pattern.
      const script = b.script!.split("\n").filter((l) => /^u(ret)?probe:/.test(l)).join("\n");
      if (name.startsWith("1.19")) {
        expect(script).toContain("parseClientHelloEPKvm\"");
        expect(script).toContain("LegacyHttpParserImpl7executeEPKci");
        expect(script).not.toContain("BalsaParser");
      } else {
        expect(script).toContain("parseClientHelloEPKvmm\"");
        expect(script).toContain("BalsaParser7executeEPKci");
        expect(script).not.toContain("LegacyHttpParserImpl");
      }
    }
  });
});
