// Which bpftrace the script is written for, and the syntax differences that follow from it.
// 0.17 (Debian 12) is the baseline; the newest syntax handled is 0.26.

export interface BpftraceTarget {
  /** As given, normalised to "MAJOR.MINOR", e.g. "0.17". */
  version: string;
  major: number;
  minor: number;
  /** `args.f` instead of `args->f` for tracepoint arguments (0.21 and newer). */
  argsDot: boolean;
  /** `str(p, n)` copies n−1 characters and a NUL (0.23 and newer); before, it copies n. */
  strCopiesNMinusOne: boolean;
  /** Integer literals are typed by their value (0.26: `1` is an int8): values that are stored get an explicit cast. */
  castIntLiterals: boolean;
  /** The most probes bpftrace attaches in one script (BPFTRACE_MAX_PROBES default). */
  maxProbes: number;
  /** The largest BPFTRACE_STRLEN bpftrace accepts. */
  maxStrlen: number;
}

export const DEFAULT_BPFTRACE_VERSION = "0.17";
export const NEWEST_BPFTRACE_VERSION = "0.26";

export class TargetVersionError extends Error {}

/** Parses `0.17`, `0.17.0`, `v0.26.1`; refuses versions older than 0.17, which probec does not write for. */
export function parseBpftraceTarget(text: string): BpftraceTarget {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (!m) throw new TargetVersionError(`invalid bpftrace version '${text}' (expected MAJOR.MINOR, e.g. 0.17)`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const atLeast = (mi: number): boolean => major > 0 || minor >= mi;
  if (!atLeast(17)) throw new TargetVersionError(`bpftrace ${major}.${minor} is older than 0.17, the oldest version probec writes for`);
  return {
    version: `${major}.${minor}`,
    major,
    minor,
    argsDot: atLeast(21),
    strCopiesNMinusOne: atLeast(23),
    castIntLiterals: atLeast(26),
    maxProbes: 512,
    // 0.17's ceiling; newer versions allow more, but one limit keeps a script's output the same everywhere.
    maxStrlen: 200,
  };
}
