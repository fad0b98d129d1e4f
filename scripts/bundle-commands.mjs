#!/usr/bin/env node
// Build step after tsc: rewrites the commands whose start-up time is a product figure
// (`probec symbols`, `probec demangle`) as single self-contained ES modules. Node's ESM loader
// spends about 0.8 ms per module resolving, reading and linking; the symbol engine is ~45 modules,
// so loading it module by module cost ~35 ms of a ~150 ms budget. The other modules stay in dist/
// unbundled: the library API and the other commands import them as before.
import { rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const commandsDir = join(root, "dist/compiler/cli/commands");
const BUNDLED_COMMANDS = ["symbols", "demangle"];

for (const name of BUNDLED_COMMANDS) {
  const input = join(commandsDir, `${name}.js`);
  const staged = join(commandsDir, `${name}.bundle.js`);
  await build({
    input,
    platform: "node",
    logLevel: "warn",
    // Only Node's built-ins stay imports: everything else the command reaches is inlined, its
    // dynamic `import()` of the engine included (one file, still evaluated only when called).
    external: [/^node:/],
    output: { file: staged, format: "esm", codeSplitting: false, sourcemap: false },
  });
  await rm(input);
  await rename(staged, input);
  await rm(`${input}.map`, { force: true });
}
