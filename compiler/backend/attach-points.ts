// Attach points in bpftrace syntax, and the human description the manifest shows for each probe.
import type { AttachPoint, SourceLoc } from "../ir/program.js";
import { BackendCode, BackendError } from "./backend-error.js";

// bpftrace splits attach points on ':' and ',' and ends them at whitespace; a path with any of these
// (or a quote) cannot be written unquoted, and 0.17 has no quoting for the path part.
const UNWRITABLE_PATH = /[\s:,"'{}]/;

export function uprobeAttachPoint(kind: "uprobe" | "uretprobe", path: string, mangled: string, loc: SourceLoc): string {
  if (UNWRITABLE_PATH.test(path) || !path.startsWith("/")) {
    throw new BackendError(
      BackendCode.UnwritablePath,
      `binary path '${path}' cannot be written in a bpftrace attach point (it must be absolute and free of spaces, ':', ',', quotes and braces); use a symlink`,
      loc,
    );
  }
  // Quoted exact names: bpftrace takes them literally (no wildcard, no demangled matching).
  return `${kind}:${path}:"${mangled}"`;
}

/** The attach point of every non-uprobe kind. */
export function plainAttachPoint(a: Exclude<AttachPoint, { binary: string }>): string {
  switch (a.kind) {
    case "tracepoint":
      return `tracepoint:${a.category}:${a.name}`;
    case "kprobe":
    case "kretprobe":
      return `${a.kind}:${a.function}`;
    case "begin":
      return "BEGIN";
    case "end":
      return "END";
    case "interval":
      return `interval:${a.unit}:${a.value}`;
    case "profile":
      return `profile:${a.unit}:${a.value}`;
  }
}

/** `uprobe envoy:Envoy::Network::TcpListenerImpl::onSocketEvent`, `tracepoint syscalls:sys_exit_accept4`. */
export function describeAttach(a: AttachPoint): string {
  switch (a.kind) {
    case "uprobe":
    case "uretprobe":
      return `${a.kind} ${a.binary}:${a.patterns.join(" | ")}${a.optional ? " (optional)" : ""}`;
    case "tracepoint":
      return `tracepoint ${a.category}:${a.name}`;
    case "kprobe":
    case "kretprobe":
      return `${a.kind} ${a.function}`;
    case "begin":
      return "BEGIN";
    case "end":
      return "END";
    case "interval":
      return `interval ${a.value}${a.unit}`;
    case "profile":
      return `profile ${a.value}${a.unit}`;
  }
}
