// The fixture binaries the check tests resolve against: one per generation and standard library.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFixture, type BuiltFixture } from "../../fixtures/build-fixture.js";

export interface CheckFixtures {
  old: BuiltFixture; // 1.19, clang + libc++, absl's own string_view
  newGcc: BuiltFixture; // 1.3x, g++ + libstdc++
  newClang: BuiltFixture; // 1.3x, clang + libc++
}

export async function buildCheckFixtures(): Promise<CheckFixtures> {
  const [old, newGcc, newClang] = await Promise.all([
    buildFixture({ compiler: "clang", stringView: "absl-class", generation: "1.19" }),
    buildFixture({ compiler: "gcc", generation: "1.3x" }),
    buildFixture({ compiler: "clang", generation: "1.3x" }),
  ]);
  return { old: old!, newGcc: newGcc!, newClang: newClang! };
}

export const PROBES = new URL("./probes/", import.meta.url).pathname;
export const LIB_SCRIPT = new URL("../../../examples/envoy/accept-flow-lib.probe.ts", import.meta.url).pathname;

/**
 * A probe file that does not type-check (line 5), written to a temporary folder so that the
 * repository's own type-check stays clean.
 */
export function brokenProbeFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "probec-check-broken-"));
  const path = join(dir, "broken.probe.ts");
  writeFileSync(
    path,
    ['import { binary, uprobe } from "probec";', "", 'const envoy = binary("envoy");', "// a pattern must be a string", "uprobe(envoy.fn(42), () => {});", ""].join("\n"),
  );
  return path;
}
