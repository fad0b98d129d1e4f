#!/usr/bin/env node
// `probec demangle` vs GNU c++filt on every `_Z` name of /usr/bin/node's .symtab, whole process,
// stdin → stdout, in the same run. Prints medians and the ratio probec/c++filt (goal ≤ 1.0, must be
// ≤ 2.0) and checks both outputs are identical. Usage: node bench/demangle.bench.mjs [--rounds N]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { measureCommand, printTable, roundsFromEnv, startupNote } from "./lib/measure.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, "dist/compiler/cli/main.js");
const binary = process.env.DEMANGLE_BENCH_BINARY ?? "/usr/bin/node";
const argRounds = process.argv.indexOf("--rounds");
const rounds = argRounds > 0 ? Number(process.argv[argRounds + 1]) : roundsFromEnv(7);

if (!existsSync(cli)) {
  console.error(`demangle bench: ${cli} is missing; run npm run build first`);
  process.exit(1);
}

const nmOut = execFileSync("nm", [binary], { maxBuffer: 1 << 30, encoding: "utf8" });
const names = [...new Set(nmOut.split("\n").map((l) => l.slice(l.lastIndexOf(" ") + 1)).filter((n) => n.startsWith("_Z")))];
const dir = mkdtempSync(join(tmpdir(), "probec-demangle-bench-"));
const namesFile = join(dir, "names.txt");
const input = names.join("\n") + "\n";
writeFileSync(namesFile, input);

// measureCommand runs every command without NODE_EXTRA_CA_CERTS (see bench/lib/measure.mjs).
console.log(startupNote());

try {
  // Interleave the two tools round by round so both see the same machine load.
  const peerTimes = [];
  const probecTimes = [];
  let peerOut = "";
  let probecOut = "";
  for (let r = 0; r < rounds; r++) {
    const peer = measureCommand(["c++filt"], { input, rounds: 1, warmup: r === 0 ? 1 : 0 });
    const ours = measureCommand([process.execPath, cli, "demangle"], { input, rounds: 1, warmup: r === 0 ? 1 : 0 });
    peerTimes.push(peer.median);
    probecTimes.push(ours.median);
    peerOut = peer.lastStdout;
    probecOut = ours.lastStdout;
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const peer = { median: med(peerTimes) };
  const probec = { median: med(probecTimes) };
  printTable(`demangle: ${names.length} _Z names of ${binary} through stdin (${rounds} rounds, medians)`, [
    { name: "probec demangle < names", peerLabel: "c++filt < names", peer, probec },
  ]);
  const ratio = probec.median / peer.median;
  const identical = peerOut === probecOut;
  console.log(`probec/c++filt time ratio: ${ratio.toFixed(2)} (goal ≤ 1.00, limit 2.00)`);
  console.log(`outputs identical: ${identical ? "yes" : "NO"}`);
  if (!identical) {
    const a = peerOut.split("\n");
    const b = probecOut.split("\n");
    const i = a.findIndex((l, k) => l !== b[k]);
    console.log(`first difference at line ${i + 1}:\n  c++filt: ${a[i]}\n  probec:  ${b[i]}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
