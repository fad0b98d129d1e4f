#!/usr/bin/env node
// `probec demangle` vs GNU c++filt on every `_Z` name of /usr/bin/node's .symtab, whole process,
// stdin → stdout, in the same run. Prints medians and the ratio probec/c++filt (goal ≤ 1.0, must be
// ≤ 2.0) and checks both outputs are identical. Usage: node bench/demangle.bench.mjs [--rounds N]
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchEnv, measureCommand, printTable, roundsFromEnv, startupNote } from "./lib/measure.mjs";

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

  // The same between files: c++filt flushes after every line, which costs it more into a pipe.
  const fileTimes = { peer: [], probec: [] };
  for (let r = 0; r < rounds; r++) {
    fileTimes.peer.push(timeBetweenFiles(["c++filt"], namesFile, join(dir, "peer.out")));
    fileTimes.probec.push(timeBetweenFiles([process.execPath, cli, "demangle"], namesFile, join(dir, "probec.out")));
  }
  const filesIdentical = readFileSync(join(dir, "peer.out")).equals(readFileSync(join(dir, "probec.out")));
  printTable(`the same, stdin and stdout redirected to files (${rounds} rounds, medians)`, [
    { name: "probec demangle < names > out", peerLabel: "c++filt < names > out", peer: { median: med(fileTimes.peer) }, probec: { median: med(fileTimes.probec) } },
  ]);
  console.log(`probec/c++filt time ratio between files: ${(med(fileTimes.probec) / med(fileTimes.peer)).toFixed(2)}; outputs identical: ${filesIdentical ? "yes" : "NO"}`);
  if (!filesIdentical) process.exitCode = 1;
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

/** Wall time of `argv` with stdin read from `inPath` and stdout written to `outPath` (no pipes). */
function timeBetweenFiles(argv, inPath, outPath) {
  const inFd = openSync(inPath, "r");
  const outFd = openSync(outPath, "w");
  try {
    const start = process.hrtime.bigint();
    const r = spawnSync(argv[0], argv.slice(1), { stdio: [inFd, outFd, "pipe"], env: benchEnv });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${argv.join(" ")} exited with ${r.status ?? r.signal}: ${r.stderr}`);
    return ms;
  } finally {
    closeSync(inFd);
    closeSync(outFd);
  }
}
