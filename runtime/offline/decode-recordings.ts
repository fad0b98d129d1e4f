// Offline decode: recordings of plain `bpftrace -f json` (files, one per node or pod) and the
// script's manifest → the same typed items and summary `probec run` produces, for the same output
// formats. Several recordings merge into one timeline: each event is labelled with its recording,
// and since bpftrace's nsecs (CLOCK_MONOTONIC) of different hosts are not comparable, each
// recording's clock is aligned on its own first event (ts counts from 0 in each). One recording is
// decoded exactly as `probec run --replay` would: no label, bpftrace's own timestamps.
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import type { Manifest } from "../../compiler/ir/manifest.js";
import { LineDecoder } from "../decode/line-decoder.js";
import type { Demangler, StackFrame } from "../decode/stack.js";
import { isHarmlessStderr } from "../process/bpftrace-failure.js";
import { MappedStackSymbolizer } from "../symbolize/mapped-symbolizer.js";
import { parseProcMaps } from "../symbolize/process-maps.js";
import type { DecodedMap, FieldValue, MalformedLine, RuntimeItem, RunSummary } from "../types.js";
import { ANNOTATION_PREFIX, parseAnnotation } from "./annotations.js";
import { DECODE_ERRORS, type DecodeProblem } from "./decode-error.js";

export interface RecordingInput {
  path: string;
  /** The recording's name on the timeline; default: its probec_label line, else the file name without extension. */
  label?: string;
}

export interface DecodeOptions {
  manifest: Manifest;
  recordings: RecordingInput[];
  /** Saved /proc/PID/maps files of the traced processes, for bare stack addresses in PIE binaries. */
  mapsFiles?: string[];
  demangle?: Demangler;
  /** bpftrace's stderr lines a recording carries (probec_stderr), with the recording's label. */
  onStderr?: (label: string, line: string) => void;
}

export interface DecodedRecordings {
  /** Items in timeline order (one recording: as recorded). */
  items: RuntimeItem[];
  summary: RunSummary;
  problems: DecodeProblem[];
  /** The label of each recording, in the order given. */
  labels: string[];
}

/** Reasons of the event decoder that no line of this manifest's script can produce. */
const OTHER_SCRIPT = /^(unknown event tag|event '[^']*': expected \d+ values, got \d+|event tag is not an integer|value line that is not an event tuple)/;
const EXCERPT = 160;
const MALFORMED_SAMPLES = 10;

function excerpt(text: string): string {
  return text.length > EXCERPT ? text.slice(0, EXCERPT) + "…" : text;
}

function defaultLabel(path: string): string {
  return basename(path).replace(/\.(jsonl|json|log|txt)$/, "");
}

function symbolizeFields(fields: Record<string, FieldValue>, symbolizer: MappedStackSymbolizer): void {
  for (const [name, v] of Object.entries(fields)) {
    if (Array.isArray(v) && v.length > 0 && typeof v[0] === "object" && v[0] !== null && "address" in v[0]) {
      const frames = v as StackFrame[];
      if (frames.some((f) => f.symbol === null)) fields[name] = symbolizer.symbolizeFrames(frames);
    }
  }
}

interface Decoded {
  label: string;
  /** Items with the sort key of each (ts of the last event before it, aligned). */
  items: { key: number; item: RuntimeItem }[];
  maps: DecodedMap[];
  firstTs: number | null;
  lastTs: number | null;
}

class RecordingReader {
  readonly problems: DecodeProblem[] = [];
  readonly perEvent: Record<string, number> = {};
  totalEvents = 0;
  lost = 0;
  malformed = 0;
  readonly malformedSamples: MalformedLine[] = [];
  printfLines = 0;
  foreignLines = 0;
  attachedProbes: number | null = null;

  constructor(
    private readonly opts: DecodeOptions,
    private readonly symbolizer: MappedStackSymbolizer,
  ) {}

  private problem(code: DecodeProblem["code"], file: string, line: number, message: string, text?: string, fatal = false): void {
    this.problems.push({ code, file, line, message, ...(text !== undefined && text !== "" ? { excerpt: excerpt(text) } : {}), fatal });
  }

  read(input: RecordingInput): Decoded | null {
    let text: string;
    try {
      if (statSync(input.path).isDirectory()) throw new Error("it is a directory");
      text = readFileSync(input.path, "utf8");
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
      this.problem(DECODE_ERRORS.recordingUnreadable, input.path, 0, `cannot read recording: ${why}`, undefined, true);
      return null;
    }
    const decoder = new LineDecoder(this.opts.manifest, { demangle: this.opts.demangle });
    const out: Decoded = { label: input.label ?? "", items: [], maps: [], firstTs: null, lastTs: null };
    let recordedLabel: string | null = null;
    let lineNo = 0;
    let lastKey = Number.NEGATIVE_INFINITY;
    let stopped = false;
    const sink = (item: RuntimeItem) => {
      if (stopped) return;
      switch (item.kind) {
        case "event": {
          const e = item.event;
          this.perEvent[e.event] = (this.perEvent[e.event] ?? 0) + 1;
          this.totalEvents++;
          symbolizeFields(e.fields, this.symbolizer);
          out.firstTs ??= e.ts;
          out.lastTs = out.lastTs === null ? e.ts : Math.max(out.lastTs, e.ts);
          lastKey = e.ts;
          break;
        }
        case "malformed": {
          const reason = item.malformed.reason;
          if (OTHER_SCRIPT.test(reason)) {
            this.problem(DECODE_ERRORS.otherScript, input.path, lineNo, `this recording was not made with the manifest's script (${reason}); the rest of the file is not decoded`, item.malformed.excerpt, true);
            stopped = true;
            return;
          }
          this.malformed++;
          const m = { ...item.malformed, line: lineNo };
          if (this.malformedSamples.length < MALFORMED_SAMPLES) this.malformedSamples.push(m);
          this.problem(DECODE_ERRORS.badLine, input.path, lineNo, reason, item.malformed.excerpt);
          out.items.push({ key: lastKey, item: { kind: "malformed", malformed: m } });
          return;
        }
        case "foreign":
          // Not bpftrace JSON at all: a recording is bpftrace's stdout and nothing else.
          this.foreignLines++;
          this.problem(DECODE_ERRORS.badLine, input.path, lineNo, "not a line of bpftrace -f json output", item.text);
          return;
        case "lost":
          this.lost += item.count;
          break;
        case "ready":
          return; // the script's BEGIN marker: nothing the user printed
        case "printf":
          this.printfLines++;
          break;
        case "attached":
          this.attachedProbes = (this.attachedProbes ?? 0) + item.probes;
          break;
        case "map":
          out.maps.push(item.map);
          return; // maps come with the summary, after every recording is read
      }
      out.items.push({ key: lastKey, item });
    };
    const lines = text.split("\n");
    if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    for (const raw of lines) {
      lineNo++;
      if (stopped) break;
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (line.startsWith(ANNOTATION_PREFIX)) {
        const a = parseAnnotation(line);
        if (a.kind === "label") recordedLabel ??= a.label;
        else if (a.kind === "maps") this.symbolizer.addMapping(a.mapping, a.binary);
        else if (a.kind === "stderr") {
          if (!isHarmlessStderr(a.text)) this.opts.onStderr?.(input.label ?? recordedLabel ?? defaultLabel(input.path), a.text);
        } else this.problem(DECODE_ERRORS.badLine, input.path, lineNo, a.reason, line);
        continue;
      }
      decoder.decodeInto(line, sink);
    }
    if (!stopped) for (const item of decoder.finish()) sink(item);
    out.label = input.label ?? recordedLabel ?? defaultLabel(input.path);
    return out;
  }
}

function uniqueLabels(decoded: Decoded[]): void {
  const seen = new Map<string, number>();
  for (const d of decoded) {
    const n = seen.get(d.label) ?? 0;
    seen.set(d.label, n + 1);
    if (n > 0) d.label = `${d.label}#${n + 1}`;
  }
}

/** Decodes every recording with the manifest; several are merged into one labelled timeline. */
export function decodeRecordings(opts: DecodeOptions): DecodedRecordings {
  const started = Date.now();
  const symbolizer = new MappedStackSymbolizer(opts.manifest.binaries, opts.demangle);
  const reader = new RecordingReader(opts, symbolizer);
  for (const file of opts.mapsFiles ?? []) {
    let added = 0;
    try {
      for (const m of parseProcMaps(readFileSync(file, "utf8"))) if (symbolizer.addMapping(m)) added++;
    } catch (err) {
      reader.problems.push({ code: DECODE_ERRORS.mapsUnreadable, file, line: 0, message: `cannot read maps file: ${(err as Error).message}`, fatal: true });
      continue;
    }
    if (added === 0) {
      const names = opts.manifest.binaries.map((b) => b.path).join(", ") || "none";
      reader.problems.push({ code: DECODE_ERRORS.mapsUnreadable, file, line: 0, message: `no mapping of the manifest's binaries (${names}) in this /proc/PID/maps copy`, fatal: false });
    }
  }
  const decoded = opts.recordings.map((r) => reader.read(r)).filter((d): d is Decoded => d !== null);
  const merged = opts.recordings.length > 1;
  let items: RuntimeItem[];
  const maps: DecodedMap[] = [];
  if (!merged) {
    items = decoded.flatMap((d) => d.items.map((x) => x.item));
    for (const d of decoded) maps.push(...d.maps);
  } else {
    uniqueLabels(decoded);
    const keyed: { key: number; order: number; item: RuntimeItem }[] = [];
    let order = 0;
    for (const d of decoded) {
      const zero = d.firstTs ?? 0;
      for (const { key, item } of d.items) {
        if (item.kind === "event") {
          item.event.ts -= zero;
          item.event.recording = d.label;
        }
        keyed.push({ key: key === Number.NEGATIVE_INFINITY ? key : key - zero, order: order++, item });
      }
      for (const m of d.maps) maps.push({ ...m, name: `${d.label}:${m.name}` });
    }
    keyed.sort((a, b) => a.key - b.key || a.order - b.order);
    items = keyed.map((k) => k.item);
  }
  symbolizer.symbolizeMaps(maps);
  const spans = decoded.filter((d) => d.firstTs !== null).map((d) => (d.lastTs! - d.firstTs!) / 1e6);
  const summary: RunSummary = {
    events: { ...reader.perEvent },
    totalEvents: reader.totalEvents,
    lost: reader.lost,
    malformed: reader.malformed,
    malformedSamples: reader.malformedSamples,
    printfLines: reader.printfLines,
    foreignLines: reader.foreignLines,
    attachedProbes: reader.attachedProbes,
    maps,
    backlogHighWater: 0,
    exit: { code: 0, signal: null },
    // What a decode summary can say about time: the longest recording, first event to last.
    durationMs: spans.length > 0 ? Math.max(...spans) : Date.now() - started,
  };
  return { items, summary, problems: reader.problems, labels: decoded.map((d) => d.label) };
}
