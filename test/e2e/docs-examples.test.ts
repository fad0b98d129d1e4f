// Every complete probe file shown in the README and in docs/ (a ```ts block whose first line names
// it: `// NAME.probe.ts`, or a repo path such as `// examples/envoy/x.probe.ts` when it imports the
// library) is built by the real pipeline against real binaries: the docs cannot rot unnoticed.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { buildFile } from "../../compiler/pipeline/index.js";
import { buildFixture } from "../fixtures/build-fixture.js";
import { describeE2E } from "./harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

interface DocExample {
  doc: string;
  name: string;
  text: string;
}

function examples(): DocExample[] {
  const docs = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const out: DocExample[] = [];
  for (const doc of docs) {
    for (const m of readFileSync(join(root, doc), "utf8").matchAll(/```ts\n\/\/ (\S+\.probe\.ts)\n([\s\S]*?)```/g)) {
      out.push({ doc, name: m[1]!, text: `// ${m[1]}\n${m[2]}` });
    }
  }
  return out;
}

describeE2E("probe files in the docs build", () => {
  let envoy: string;
  beforeAll(async () => {
    envoy = (await buildFixture({ compiler: "clang", stringView: "absl-class", generation: "1.19" })).path;
  });

  it("the README and docs show complete probe files", () => {
    expect(examples().length).toBeGreaterThanOrEqual(4);
  });

  it.each(examples().map((e) => [`${e.doc}: ${e.name}`, e] as const))("%s builds with no error", async (_, e) => {
    // A repo path is written where it says (its relative imports must resolve); a bare name in a temp folder.
    const inRepo = e.name.includes("/");
    const dir = inRepo ? join(root, dirname(e.name)) : mkdtempSync(join(tmpdir(), "probec-doc-"));
    const file = join(dir, inRepo ? `.doc-${process.pid}-${e.name.split("/").pop()}` : e.name);
    writeFileSync(file, e.text);
    try {
      // Each binary the file declares: Envoy is the fixture, node the real /usr/bin/node.
      const known: Record<string, string> = { envoy, node: "/usr/bin/node" };
      const binaries = Object.fromEntries([...e.text.matchAll(/binary\("(\w+)"\)/g)].map((m) => [m[1]!, known[m[1]!] ?? ""]));
      const r = await buildFile(file, { binaries, cwd: dir, write: false, symbolCache: false });
      expect(r.diagnostics.filter((d) => d.category === "error").map((d) => `PC${d.code} ${d.message}`)).toEqual([]);
      expect(r.script).toMatch(/^(uprobe|uretprobe|tracepoint|BEGIN)/m);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
