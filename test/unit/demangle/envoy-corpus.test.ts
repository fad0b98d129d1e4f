// The Envoy corpus: every mangled name must print exactly as the .tsv beside it says, and the
// structured view must agree with the text.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe as group, expect, it } from "vitest";
import { demangle, describe } from "../../../compiler/symbols/demangle/index.js";
import { envoyCorpusDir, fileExists, missingInput, readTsv } from "./support.js";

const tsv = path.join(envoyCorpusDir, "envoy-symbols-mangled-to-demangled.tsv");
const mangledList = path.join(envoyCorpusDir, "envoy-symbols-mangled.txt");
const skip = missingInput("the Envoy corpus (../shared/envoy-corpus)", fileExists(tsv));

group.skipIf(skip !== null)(`Envoy corpus${skip ? ` — skipped: ${skip}` : ""}`, () => {
  it("demangles every name exactly as the .tsv says", () => {
    const rows = readTsv(readFileSync(tsv, "utf8"));
    expect(rows.length).toBeGreaterThan(0);
    const wrong = rows.filter(([m, e]) => demangle(m!) !== e).map(([m, e]) => `${m}\n  want ${e}\n  got  ${demangle(m!)}`);
    console.log(`[demangle] Envoy corpus: ${rows.length - wrong.length}/${rows.length} exact`);
    expect(wrong).toEqual([]);
  });

  it("covers every name of envoy-symbols-mangled.txt", () => {
    const listed = readFileSync(mangledList, "utf8").split("\n").filter((l) => l.length > 0);
    const known = new Map(readTsv(readFileSync(tsv, "utf8")).map(([m, e]) => [m!, e!]));
    for (const m of listed) expect(demangle(m), m).toBe(known.get(m) ?? demangle(m));
    expect(listed.every((m) => demangle(m) !== null)).toBe(true);
  });

  it("describes every name with a view whose text is the demangled name", () => {
    for (const [m, e] of readTsv(readFileSync(tsv, "utf8"))) {
      const view = describe(m!);
      expect(view, m).not.toBeNull();
      expect(view!.demangled).toBe(e);
      expect(view!.path.length).toBeGreaterThan(0);
    }
  });
});
