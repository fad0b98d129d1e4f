// What the runtime gives back: decoded events, text lines, map dumps and the run's summary.
import type { StackFrame } from "./decode/stack.js";

export type { StackFrame } from "./decode/stack.js";

/** A sized string field (string_view, std::string, str(p, len)): the copied text and its true length. */
export interface SizedStringValue {
  /** The bytes bpftrace copied, decoded as UTF-8. */
  text: string;
  /** The true length in bytes, as the traced program had it. */
  length: number;
  /** True when fewer bytes were copied than `length` (bpftrace's string limit, or a NUL inside). */
  truncated: boolean;
  /** Present only when the copied bytes were not valid UTF-8: the exact bytes as hex. */
  bytesHex?: string;
}

/** A decoded field value. Integers are JS numbers (64-bit values above 2^53 are rounded, as the DSL's u64 says). */
export type FieldValue =
  | number
  | boolean
  | string
  | SizedStringValue
  | StackFrame[]
  | FieldValue[]
  | { [name: string]: FieldValue };

/** Maps each event name to its fields' record type; plugs in the types inferred from a probe file. */
export type EventShapes = { readonly [name: string]: object };

/** One emitted event, decoded. `event` discriminates the union. */
export interface ProbeEvent<Name extends string = string, Fields = Record<string, FieldValue>> {
  event: Name;
  /** bpftrace's `nsecs` at the probe (CLOCK_MONOTONIC nanoseconds). */
  ts: number;
  pid: number;
  tid: number;
  comm: string;
  fields: Fields;
  /** Exact bytes (hex) of plain string fields whose bytes were not valid UTF-8 (their text has U+FFFD). */
  invalidUtf8?: Record<string, string>;
  /**
   * The recording the event was decoded from, when `probec decode` merges several (one per node or
   * pod); `ts` then counts from that recording's first event.
   */
  recording?: string;
}

/** The union of typed events for a shape map: `{ event: "a"; fields: A } | { event: "b"; fields: B }`. */
export type EventUnion<Shapes extends EventShapes> = {
  [Name in keyof Shapes & string]: ProbeEvent<Name, Shapes[Name]>;
}[keyof Shapes & string];

export interface HistBucket {
  /** Lower bound (inclusive); absent for lhist's "below min" bucket. */
  min?: number;
  /** Upper bound (inclusive); absent for lhist's "at or above max" bucket. */
  max?: number;
  count: number;
}

export interface StatsValue {
  count: number;
  average: number;
  total: number;
}

export type MapValue = FieldValue | HistBucket[] | StatsValue | null;

export interface MapEntry {
  /** Decoded key elements, or null for a map without a key. */
  key: FieldValue[] | null;
  /** The key as bpftrace printed it (tuple keys are one comma-joined string). */
  rawKey: string | null;
  value: MapValue;
  /** Set when a comma-joined key could be split more than one way (strings with commas); the first split is given. */
  ambiguousKey?: true;
}

export interface DecodedMap {
  /** Name without `@`. */
  name: string;
  /** bpftrace's line type: map, hist (also lhist) or stats (also avg). */
  kind: "map" | "hist" | "stats";
  entries: MapEntry[];
}

export interface MalformedLine {
  /** 1-based line number in bpftrace's output. */
  line: number;
  reason: string;
  /** The start of the offending text. */
  excerpt: string;
}

/** Everything a line of bpftrace output can turn into. */
export type RuntimeItem =
  | { kind: "event"; event: ProbeEvent }
  | { kind: "printf"; text: string }
  /** The script's BEGIN marker: every probe is attached. Consumed by the runtime, never output. */
  | { kind: "ready" }
  | { kind: "attached"; probes: number }
  | { kind: "lost"; count: number }
  | { kind: "map"; map: DecodedMap }
  | { kind: "malformed"; malformed: MalformedLine }
  /** A line that is not bpftrace's: the traced command (`-c`) shares bpftrace's stdout. */
  | { kind: "foreign"; text: string };

export interface RunSummary {
  /** Events decoded, per event name. */
  events: Record<string, number>;
  totalEvents: number;
  /** Events the kernel dropped (bpftrace's lost_events), summed. */
  lost: number;
  malformed: number;
  /** The first few malformed lines, for the report. */
  malformedSamples: MalformedLine[];
  printfLines: number;
  foreignLines: number;
  attachedProbes: number | null;
  maps: DecodedMap[];
  /** Most decoded items ever waiting for the consumer at once (bounded: above it bpftrace is paused). */
  backlogHighWater: number;
  exit: { code: number | null; signal: string | null };
  /** Wall time from spawn to exit. */
  durationMs: number;
}
