#!/usr/bin/env node
// Runs every bench/*.bench.mjs in name order, each as its own child process, after `npm run build`
// (benches time the built CLI as a whole process). Usage: node bench/run-all.mjs [--filter TEXT] [--no-build]
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(benchDir);

function parseArgs(argv) {
  const opts = { filter: undefined, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--filter") {
      if (i + 1 >= argv.length) usage("--filter needs a value");
      opts.filter = argv[++i];
    } else if (a.startsWith("--filter=")) opts.filter = a.slice("--filter=".length);
    else if (a === "--no-build") opts.build = false;
    else if (a === "--help" || a === "-h") {
      console.log("usage: node bench/run-all.mjs [--filter TEXT] [--no-build]");
      process.exit(0);
    } else usage(`unknown argument '${a}'`);
  }
  return opts;
}

function usage(msg) {
  console.error(`bench: ${msg} (usage: node bench/run-all.mjs [--filter TEXT] [--no-build])`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const benches = readdirSync(benchDir)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => opts.filter === undefined || f.includes(opts.filter))
  .sort();

if (benches.length === 0) {
  console.log(opts.filter === undefined ? "bench: no bench/*.bench.mjs yet" : `bench: no bench matches '${opts.filter}'`);
  process.exit(0);
}

if (opts.build) {
  const b = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (b.status !== 0) {
    console.error("bench: npm run build failed; benches time the built CLI, so nothing was run");
    process.exit(1);
  }
}

const failed = [];
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const r = spawnSync(process.execPath, [join(benchDir, file)], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) failed.push(`${file} (exit ${r.status ?? r.signal})`);
}
if (failed.length > 0) {
  console.error(`\nbench: ${failed.length} of ${benches.length} failed: ${failed.join(", ")}`);
  process.exit(1);
}
console.log(`\nbench: ${benches.length} bench file(s) done`);
