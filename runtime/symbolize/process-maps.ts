// Reads /proc/PID/maps while the traced process lives, so that bare addresses bpftrace prints at
// exit (stacks used as map keys, after a -c child has gone) can still be placed in a file.
import { readFileSync } from "node:fs";

export interface Mapping {
  start: number;
  end: number;
  /** File offset of `start`. */
  offset: number;
  path: string;
}

/** `55f5e0600000-55f5e0700000 r-xp 00001000 08:01 1234 /usr/bin/envoy` */
const LINE = /^([0-9a-f]+)-([0-9a-f]+) \S+ ([0-9a-f]+) \S+ \d+\s+(\/.*)$/;

export function parseProcMaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (!m || m[4].endsWith(" (deleted)")) continue;
    out.push({ start: parseInt(m[1], 16), end: parseInt(m[2], 16), offset: parseInt(m[3], 16), path: m[4] });
  }
  return out;
}

export function readProcMaps(pid: number): Mapping[] | null {
  try {
    return parseProcMaps(readFileSync(`/proc/${pid}/maps`, "utf8"));
  } catch {
    return null; // gone already, or not ours to read
  }
}

/** Child pids of a process (all its threads), from /proc; empty when it has none or is gone. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/)) {
      if (/^\d+$/.test(tid)) out.push(Number(tid));
    }
  } catch {
    // no children file: nothing to add
  }
  return out;
}
