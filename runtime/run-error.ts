// Errors of `probec run` and the runtime API, each with a stable code (PC9650–PC9669, in the
// commands block of compiler/diagnostics/codes.ts) so scripts and tests can switch on it.
import type { SourceLoc } from "../compiler/ir/program.js";

export const RUN_ERRORS = {
  /** bpftrace is not at --bpftrace PATH, or not on PATH. */
  bpftraceMissing: 9650,
  /** Not root, or root without CAP_BPF/CAP_SYS_ADMIN/CAP_PERFMON (a container, capsh --drop). */
  notPermitted: 9651,
  /** The kernel lacks what a probe type needs (this machine: no kprobes). */
  probeTypeUnsupported: 9652,
  /** bpftrace refused the script (syntax or semantic error); its messages are mapped to the probe file. */
  scriptRejected: 9653,
  /** bpftrace exited non-zero or was killed while running. */
  bpftraceDied: 9654,
  /** The manifest next to a .bt is missing or invalid. */
  manifestUnreadable: 9655,
  /** A --param is unknown, missing or not of its declared kind. */
  badParam: 9656,
  /** The target process does not exist, or -p and -c were both given. */
  badTarget: 9657,
  /** bpftrace could not attach a probe (a binary gone, a symbol missing). */
  attachFailed: 9658,
  /** The script or probe file could not be read or built. */
  scriptUnavailable: 9659,
} as const;

export type RunErrorCode = (typeof RUN_ERRORS)[keyof typeof RUN_ERRORS];

export class RunError extends Error {
  constructor(
    readonly code: RunErrorCode,
    message: string,
    /** Extra lines for people: bpftrace's stderr, mapped locations, hints. */
    readonly details: string[] = [],
    /** Probe-file places the failure maps back to (from the manifest's line map). */
    readonly locations: SourceLoc[] = [],
    /** The last lines bpftrace printed on stderr, when it failed. */
    readonly stderrTail: string[] = [],
  ) {
    super(message);
  }

  /** `PC9653` */
  get codeText(): string {
    return `PC${this.code}`;
  }

  /**
   * The report: `error PC9653: message`, the detail lines, and bpftrace's stderr tail unless the
   * caller already showed bpftrace's stderr as it came.
   */
  format(options: { stderr?: boolean } = {}): string {
    const tail = options.stderr === false || this.stderrTail.length === 0 ? [] : ["bpftrace said:", ...this.stderrTail.map((l) => `  ${l}`)];
    return [`error ${this.codeText}: ${this.message}`, ...[...this.details, ...tail].map((d) => `  ${d}`)].join("\n");
  }
}
