// bpftrace 0.17 prints `attached_probes` before its uprobes are really attached: events in that gap
// are lost. Each attached uprobe/tracepoint holds one perf_event fd, next to one output buffer per
// online CPU (BEGIN/END hold none), so "attached" is when bpftrace holds that many perf_event fds —
// or, for probe kinds that count differently, when the count has stopped growing for a while.
import { readdirSync, readlinkSync, readFileSync } from "node:fs";

const POLL_MS = 10;
const STABLE_MS = 300;

export function onlineCpus(): number {
  try {
    // "0-3,5" → 5 CPUs
    return readFileSync("/sys/devices/system/cpu/online", "utf8")
      .trim()
      .split(",")
      .reduce((n, part) => {
        const [a, b] = part.split("-").map(Number);
        return n + (b === undefined ? 1 : b - a + 1);
      }, 0);
  } catch {
    return 1;
  }
}

export function perfEventFds(pid: number): number {
  let n = 0;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === "anon_inode:[perf_event]") n++;
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return -1; // gone
  }
  return n;
}

/** BEGIN and END blocks hold no perf_event fd. */
export function specialProbeCount(scriptText: string): number {
  return (scriptText.match(/^\s*(BEGIN|END)\b/gm) ?? []).length;
}

/** Resolves when bpftrace `pid` has attached `attached` probes (or stopped attaching more); false if it went away. */
export async function waitForAttach(pid: number, attached: number, scriptText: string, timeoutMs = 60_000): Promise<boolean> {
  const target = onlineCpus() + Math.max(0, attached - specialProbeCount(scriptText));
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const n = perfEventFds(pid);
    if (n < 0) return false;
    if (n >= target) return true;
    if (n !== last) {
      last = n;
      stableSince = Date.now();
    } else if (n > 0 && Date.now() - stableSince >= STABLE_MS && n >= onlineCpus()) {
      // No fd added for a while: probe kinds we do not count (interval, profile) are attached.
      // Uprobes are attached one by one, quickly, so a pause this long means done.
      return true;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return true;
}
