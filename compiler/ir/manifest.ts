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

/**
 * One value of a printed event line. `tag` is the event's tag on the head line (part 0) and its
 * negation on continuation lines; `part` is the continuation's number (1, 2, …); `field` is a
 * field's one value; `text`/`length` are the two values of a `sizedString` field (the bounded text
 * and the true length: text shorter than length means it was cut).
 */
export type EventSlot =
  | { kind: "tag" | "nsecs" | "pid" | "tid" | "comm" | "part" }
  | { kind: "field" | "text" | "length"; field: string };

export interface EventLine {
  /** 0 for the head line; 1, 2, … for continuations, printed in that order right after the head. */
  part: number;
  slots: EventSlot[];
}

/**
 * Where each value of an event sits in bpftrace's output. Usually one line, exactly
 * `[tag, nsecs, pid, tid, comm, field…]`. When the values would not fit on the BPF stack together
 * (several long strings on bpftrace 0.17), the event is split: the head line
 * `[tag, nsecs, pid, tid, comm, non-text fields…]`, then for each text field a continuation line
 * `[-tag, nsecs, tid, part, text(, length)]`. A continuation belongs to the head with the same tag,
 * tid and nsecs (the same probe firing prints them in order on one CPU; other threads' lines may
 * come in between). An event is complete when all its parts have arrived.
 */
export interface EventLayout {
  lines: EventLine[];
}

/** An event schema as written in the manifest: the frontend's declaration plus its printed layout. */
export interface ManifestEvent extends EventDecl {
  /** Always written by `probec build` (since manifest version 1); absent means the single-line layout. */
  layout?: EventLayout;
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
   * Event schemas. Each `emit` is printed as `print((tag, nsecs, pid, tid, comm, field…))`
   * (bpftrace -f json: `{"type": "value", "data": [tag, nsecs, pid, tid, comm, …]}`); a
   * `sizedString` field takes two slots (text, true length), every other field one, in the order of
   * `fields`; a ustack/kstack field is bpftrace's symbolised stack text. `layout` says exactly where
   * each value is, including events split over several lines (see EventLayout).
   */
  events: ManifestEvent[];
  maps: MapDecl[];
  /** Map from line numbers of the .bt to source locations, for mapping bpftrace errors back. */
  lineMap: { btLine: number; loc: SourceLoc }[];
  warnings: ManifestWarning[];
  /** The script file this manifest describes (file name, relative to the manifest's folder). */
  script?: string;
  /**
   * Environment bpftrace must run with for the output to decode as described, e.g.
   * `{ "BPFTRACE_STRLEN": "200" }` (0.17 has no `config` block, so the script cannot set it itself).
   */
  bpftraceEnv?: Record<string, string>;
  /**
   * The text the script's BEGIN block prints (`printf`) before anything else. bpftrace 0.17 runs
   * BEGIN only once every probe is attached, while its `attached_probes` line comes ~0.5 s before
   * uprobes are live: this line, not that one, is what "attached" means to the runtime.
   */
  readyMarker?: string;
}

/** What every generated BEGIN block prints first; never shown to the user as output. */
export const READY_MARKER = "__probec_ready__";
