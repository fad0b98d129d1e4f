// End-to-end harness for vitest: decides whether bpftrace tests run (in CI they must), and
// re-exports the process helpers. See processes.ts (fixture + bpftrace lifecycle) and
// bpftrace-output.ts (parsing what bpftrace prints).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, describe } from "vitest";
import { killAllTracked } from "./processes.js";

export * from "./processes.js";
export * from "./bpftrace-output.js";

// ---------------------------------------------------------------- availability

export type Availability = { ok: true } | { ok: false; reason: string };

let cachedAvailability: Availability | undefined;

/** Whether this machine can run bpftrace end to end (root, bpftrace present, tracefs mounted). */
export function bpftraceAvailability(): Availability {
  if (cachedAvailability) return cachedAvailability;
  cachedAvailability = checkAvailability();
  return cachedAvailability;
}

function checkAvailability(): Availability {
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    return { ok: false, reason: "not root (bpftrace needs root to load uprobes)" };
  }
  const v = spawnSync("bpftrace", ["--version"], { encoding: "utf8" });
  if (v.error || v.status !== 0) return { ok: false, reason: "bpftrace is missing (apt-get install bpftrace)" };
  if (!existsSync("/sys/kernel/tracing/events") && !existsSync("/sys/kernel/debug/tracing/events")) {
    return { ok: false, reason: "tracefs is not mounted (mount -t tracefs tracefs /sys/kernel/tracing)" };
  }
  // Really load something: a script that attaches BEGIN and exits proves the BPF side works.
  const load = spawnSync("bpftrace", ["-e", "BEGIN { exit(); }"], { encoding: "utf8", timeout: 60_000 });
  if (load.status !== 0) {
    const why = (load.stderr || load.error?.message || "").split("\n").filter((l) => l && !l.includes("RLIMIT_MEMLOCK"))[0];
    return { ok: false, reason: `bpftrace cannot load a program: ${why ?? `exit ${load.status}`}` };
  }
  return { ok: true };
}

/** In CI (`CI=true`) e2e tests must run: throws when bpftrace cannot load. Elsewhere returns the availability. */
export function requireBpftrace(): Availability {
  const a = bpftraceAvailability();
  if (!a.ok && process.env.CI === "true") {
    throw new Error(`e2e tests must run in CI, but ${a.reason}`);
  }
  return a;
}

/**
 * describe() for tests that need a working bpftrace. In CI a missing bpftrace fails the suite;
 * elsewhere the suite is skipped with one line saying why. Registers an afterAll that kills leftovers.
 */
export function describeE2E(name: string, fn: () => void): void {
  const a = requireBpftrace();
  if (!a.ok) {
    console.warn(`[e2e skipped] ${name}: ${a.reason}`);
    describe.skip(`${name} (skipped: ${a.reason})`, fn);
    return;
  }
  describe(name, () => {
    afterAll(() => killAllTracked());
    fn();
  });
}

