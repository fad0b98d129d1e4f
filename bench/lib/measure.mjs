// Shared helpers for bench/*.bench.mjs: run whole processes several rounds, report medians.
// Benches compare a peer tool with probec in the same run, so both see the same machine state.
import { spawnSync } from "node:child_process";

/**
 * The environment every measured command runs in unless a bench passes its own: this one without
 * NODE_EXTRA_CA_CERTS. When that variable is set, Node reads and parses the certificate file at
 * every start-up, before any script runs (about 50 ms on the sandbox that sets it, doubling
 * `node -e 0`); a user's machine normally has no such variable, and no peer tool reads it.
 */
export const benchEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "NODE_EXTRA_CA_CERTS"));

/** A line for bench output saying whether NODE_EXTRA_CA_CERTS was removed and what it costs. */
export function startupNote(rounds = 5) {
  if (process.env.NODE_EXTRA_CA_CERTS === undefined) return "node start-up: NODE_EXTRA_CA_CERTS is not set";
  const without = measureCommand([process.execPath, "-e", "0"], { rounds, env: benchEnv });
  const withIt = measureCommand([process.execPath, "-e", "0"], { rounds, env: process.env });
  return `node start-up: this environment sets NODE_EXTRA_CA_CERTS, which makes \`node -e 0\` take ${formatMs(withIt.median)} instead of ${formatMs(without.median)}; every command below runs without it`;
}

/** Median of a non-empty list of numbers. */
export function median(values) {
  if (values.length === 0) throw new Error("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Run `argv` (no shell) `rounds` times after `warmup` unmeasured runs; return wall times in ms.
 * A non-zero exit fails the bench loudly unless `allowFailure` is set: a fast failure is not a result.
 * @param {string[]} argv
 * @param {{ rounds?: number, warmup?: number, cwd?: string, env?: NodeJS.ProcessEnv, input?: string, allowFailure?: boolean, timeoutMs?: number }} [opts]
 * @returns {{ times: number[], median: number, min: number, max: number, lastStdout: string, lastStderr: string }}
 */
export function measureCommand(argv, opts = {}) {
  const { rounds = 5, warmup = 1, cwd, env, input, allowFailure = false, timeoutMs = 600_000 } = opts;
  if (!Array.isArray(argv) || argv.length === 0) throw new Error("measureCommand: argv must be a non-empty array");
  const times = [];
  let lastStdout = "";
  let lastStderr = "";
  for (let i = 0; i < warmup + rounds; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(argv[0], argv.slice(1), {
      cwd,
      env: env ?? benchEnv,
      input,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      timeout: timeoutMs,
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.error) throw new Error(`${argv.join(" ")}: ${r.error.message}`);
    if (r.status !== 0 && !allowFailure) {
      throw new Error(`${argv.join(" ")} exited with ${r.status ?? r.signal}\n${(r.stderr ?? "").slice(0, 2000)}`);
    }
    lastStdout = r.stdout ?? "";
    lastStderr = r.stderr ?? "";
    if (i >= warmup) times.push(ms);
  }
  return { times, median: median(times), min: Math.min(...times), max: Math.max(...times), lastStdout, lastStderr };
}

/**
 * Time an async or sync function `rounds` times (in-process); returns the same shape as measureCommand.
 * @param {() => unknown | Promise<unknown>} fn
 * @param {{ rounds?: number, warmup?: number }} [opts]
 */
export async function measureFunction(fn, opts = {}) {
  const { rounds = 5, warmup = 1 } = opts;
  const times = [];
  for (let i = 0; i < warmup + rounds; i++) {
    const start = process.hrtime.bigint();
    await fn();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (i >= warmup) times.push(ms);
  }
  return { times, median: median(times), min: Math.min(...times), max: Math.max(...times), lastStdout: "", lastStderr: "" };
}

/** Format milliseconds for a table cell. */
export function formatMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

/**
 * Print a comparison table. Each row: { name, peer?: result, probec: result } where result is from
 * measureCommand/measureFunction. The ratio column is peer median / probec median (>1 means probec is faster).
 * @param {string} title
 * @param {{ name: string, peer?: { median: number }, probec: { median: number }, peerLabel?: string }[]} rows
 */
export function printTable(title, rows) {
  const header = ["case", "peer median", "probec median", "ratio peer/probec"];
  const body = rows.map((r) => [
    r.peerLabel ? `${r.name} (vs ${r.peerLabel})` : r.name,
    r.peer ? formatMs(r.peer.median) : "-",
    formatMs(r.probec.median),
    r.peer ? `${(r.peer.median / r.probec.median).toFixed(2)}x` : "-",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of body) console.log(line(row));
}

/** Rounds to use: BENCH_ROUNDS env overrides the bench's default (for a quick smoke run). */
export function roundsFromEnv(defaultRounds) {
  const n = Number(process.env.BENCH_ROUNDS);
  return Number.isInteger(n) && n > 0 ? n : defaultRounds;
}
