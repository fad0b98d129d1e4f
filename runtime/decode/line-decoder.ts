// Turns each line bpftrace prints into a RuntimeItem. Never throws on bad input: a line that is not
// what the manifest promises becomes a `malformed` item with the reason, counted by the caller.
import type { Manifest } from "../../compiler/ir/manifest.js";
import type { MalformedLine, RuntimeItem } from "../types.js";
import { EventDecoder } from "./event-decoder.js";
import { parseBpftraceLine } from "./json-line.js";
import { MapDecoder } from "./map-decoder.js";
import type { Demangler } from "./stack.js";
import { decodeJsonString } from "./text.js";
import { scanValueLine } from "./value-line.js";
import { SlotError, type ValueContext } from "./values.js";

const EXCERPT = 160;
/** Where a bpftrace object starts when the traced command's output ran into it on the same line. */
const BPFTRACE_OBJECT = '{"type": "';

export interface LineDecoderOptions {
  demangle?: Demangler;
}

type ManifestPart = Pick<Manifest, "events" | "maps" | "readyMarker">;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export class LineDecoder {
  private readonly events: EventDecoder;
  private readonly maps: MapDecoder;
  private lineNo = 0;
  /** Reused for every line (one object less per line on the hot path). */
  private readonly ctx: ValueContext;
  /** Values of the current fast-path value line (reused: the event decoder keeps no reference). */
  private readonly values: unknown[] = [];

  /** The script's BEGIN marker as printf prints it (see Manifest.readyMarker). */
  private readonly readyLine: string | undefined;

  constructor(
    manifest: ManifestPart,
    private readonly options: LineDecoderOptions = {},
  ) {
    this.events = new EventDecoder(manifest.events);
    this.readyLine = manifest.readyMarker === undefined ? undefined : `${manifest.readyMarker}\n`;
    this.ctx = { line: "", demangle: options.demangle };
    this.maps = new MapDecoder(manifest.maps);
  }

  /** Decodes one line (without its newline) into zero or more items (blank lines carry none). */
  decode(line: string): RuntimeItem[] {
    const out: RuntimeItem[] = [];
    this.decodeInto(line, (item) => out.push(item));
    return out;
  }

  /** Like decode, handing each item to `sink` (no array per line: the hot path). */
  decodeInto(line: string, sink: (item: RuntimeItem) => void): void {
    this.lineNo++;
    if (line.length === 0) return;
    if (line.charCodeAt(0) !== 123 /* { */) {
      if (line.trim().length === 0) return;
      // Output of the traced command shares bpftrace's stdout; a command line without a newline
      // can run into a bpftrace line, so split one off when it is there.
      const at = line.indexOf(BPFTRACE_OBJECT);
      if (at < 0) {
        sink({ kind: "foreign", text: line });
        return;
      }
      sink({ kind: "foreign", text: line.slice(0, at) });
      line = line.slice(at);
    }
    const item = this.decodeOne(line);
    if (item === null) return;
    if (Array.isArray(item)) item.forEach(sink);
    else sink(item);
  }

  /** Call at end of stream: events whose continuation lines never came. */
  finish(): RuntimeItem[] {
    return this.events.drainIncomplete().map((reason) => this.malformed(reason, ""));
  }

  private valueLine(data: unknown, line: string): RuntimeItem | null {
    const r = this.events.decode(data, this.ctx);
    if (r.kind === "pending") return null;
    if (r.kind === "malformedEvent") return this.malformed(r.reason, line);
    return r;
  }

  private malformed(reason: string, text: string): RuntimeItem {
    const m: MalformedLine = { line: this.lineNo, reason, excerpt: text.length > EXCERPT ? text.slice(0, EXCERPT) + "…" : text };
    return { kind: "malformed", malformed: m };
  }

  private decodeOne(line: string): RuntimeItem | RuntimeItem[] | null {
    const values = this.values;
    const n = scanValueLine(line, values);
    if (n >= 0) {
      values.length = n;
      this.ctx.line = line;
      try {
        return this.valueLine(values, line);
      } catch (err) {
        if (err instanceof SlotError) return this.malformed(err.message, line);
        throw err;
      }
    }
    let parsed;
    try {
      parsed = parseBpftraceLine(line);
    } catch {
      return this.malformed(line.endsWith("}") ? "not valid JSON" : "not valid JSON (a partial line?)", line);
    }
    const { value } = parsed;
    if (!isObject(value) || typeof value.type !== "string") return this.malformed("JSON without a bpftrace 'type'", line);
    const ctx = this.ctx;
    ctx.line = line;
    const data = value.data;
    try {
      switch (value.type) {
        case "value":
          return this.valueLine(data, line);
        case "printf":
          if (typeof data !== "string") return this.malformed("printf line without text", line);
          if (data === this.readyLine) return { kind: "ready" };
          return { kind: "printf", text: decodeJsonString(data, line).text };
        case "attached_probes":
          if (!isObject(data) || typeof data.probes !== "number") return this.malformed("attached_probes without a count", line);
          return { kind: "attached", probes: data.probes };
        case "lost_events":
          if (!isObject(data) || typeof data.events !== "number") return this.malformed("lost_events without a count", line);
          return { kind: "lost", count: data.events };
        case "map":
        case "hist":
        case "stats": {
          const maps = this.maps.decode(value.type, data, ctx);
          return maps.map((map): RuntimeItem => ({ kind: "map", map }));
        }
        default:
          return this.malformed(`unknown line type '${value.type}'`, line);
      }
    } catch (err) {
      if (err instanceof SlotError) return this.malformed(err.message, line);
      throw err;
    }
  }
}
