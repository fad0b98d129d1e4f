// The manifest written next to every .bt: what the runtime needs to decode bpftrace's output, and
// what a person needs to know about how the script was resolved. Validated with ajv (see
// manifest-schema) when written and when read back.
import type { EventDecl, MapDecl, ParamDecl, ResolvedBinary, SourceLoc } from "./program.js";

export const MANIFEST_VERSION = 1;

export interface ManifestProbe {
  id: string;
  loc: SourceLoc;
  /** Human-readable attach description, e.g. `uprobe envoy:Envoy::Network::TcpListenerImpl::onSocketEvent`. */
  attach: string;
  kind: string;
  /** Resolved symbols (uprobes), grouped per binary name. */
  symbols: { binary: string; mangled: string; demangled: string; address: number; size: number }[];
  alternativeTaken?: number;
  skipped?: string;
}

export interface ManifestWarning {
  code: number;
  message: string;
  loc?: SourceLoc;
}

export interface Manifest {
  manifestVersion: typeof MANIFEST_VERSION;
  probecVersion: string;
  /** The .probe.ts it was built from (as given on the command line). */
  source: string;
  /** The bpftrace syntax the script was generated for, e.g. "0.17". */
  bpftraceVersion: string;
  binaries: ResolvedBinary[];
  params: ParamDecl[];
  probes: ManifestProbe[];
  /**
   * Event schemas. Each `emit` is printed as one line `print((tag, nsecs, pid, tid, comm, field…))`
   * (bpftrace -f json: `{"type": "value", "data": [tag, nsecs, pid, tid, comm, …]}`); a
   * `sizedString` field takes two slots (text, true length), every other field one, in the order of
   * `fields`; a ustack/kstack field is bpftrace's symbolised stack text.
   */
  events: EventDecl[];
  maps: MapDecl[];
  /** Map from line numbers of the .bt to source locations, for mapping bpftrace errors back. */
  lineMap: { btLine: number; loc: SourceLoc }[];
  warnings: ManifestWarning[];
}
