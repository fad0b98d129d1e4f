// Turns each line bpftrace prints into a RuntimeItem. Never throws on bad input: a line that is not
// what the manifest promises becomes a `malformed` item with the reason, counted by the caller.
import type { Manifest } from "../../compiler/ir/manifest.js";
import type { MalformedLine, RuntimeItem } from "../types.js";
import { EventDecoder } from "./event-decoder.js";
import { parseBpftraceLine } from "./json-line.js";
import { MapDecoder } from "./map-decoder.js";
import type { Demangler } from "./stack.js";
import { decodeJsonString } from "./text.js";
import { SlotError, type ValueContext } from "./values.js";

const EXCERPT = 160;
/** Where a bpftrace object starts when the traced command's output ran into it on the same line. */
const BPFTRACE_OBJECT = '{"type": "';

export interface LineDecoderOptions {
  demangle?: Demangler;
}

type ManifestPart = Pick<Manifest, "events" | "maps">;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export class LineDecoder {
  private readonly events: EventDecoder;
  private readonly maps: MapDecoder;
  private lineNo = 0;

  constructor(
    manifest: ManifestPart,
    private readonly options: LineDecoderOptions = {},
  ) {
    this.events = new EventDecoder(manifest.events);
    this.maps = new MapDecoder(manifest.maps);
  }

  /** Decodes one line (without its newline) into zero or more items (blank lines carry none). */
  decode(line: string): RuntimeItem[] {
    this.lineNo++;
    if (line.length === 0 || line.trim().length === 0) return [];
    if (line.charCodeAt(0) !== 123 /* { */) {
      // Output of the traced command shares bpftrace's stdout; a command line without a newline
      // can run into a bpftrace line, so split one off when it is there.
      const at = line.indexOf(BPFTRACE_OBJECT);
      if (at < 0) return [{ kind: "foreign", text: line }];
      return [{ kind: "foreign", text: line.slice(0, at) }, ...this.decodeObject(line.slice(at))];
    }
    return this.decodeObject(line);
  }

  /** Call at end of stream: events whose continuation lines never came. */
  finish(): RuntimeItem[] {
    return this.events.drainIncomplete().map((reason) => this.malformed(reason, ""));
  }

  private malformed(reason: string, text: string): RuntimeItem {
    const m: MalformedLine = { line: this.lineNo, reason, excerpt: text.length > EXCERPT ? text.slice(0, EXCERPT) + "…" : text };
    return { kind: "malformed", malformed: m };
  }

  private decodeObject(line: string): RuntimeItem[] {
    const item = this.decodeOne(line);
    if (item === null) return [];
    return Array.isArray(item) ? item : [item];
  }

  private decodeOne(line: string): RuntimeItem | RuntimeItem[] | null {
    let parsed;
    try {
      parsed = parseBpftraceLine(line);
    } catch {
      return this.malformed(line.endsWith("}") ? "not valid JSON" : "not valid JSON (a partial line?)", line);
    }
    const { value } = parsed;
    if (!isObject(value) || typeof value.type !== "string") return this.malformed("JSON without a bpftrace 'type'", line);
    const ctx: ValueContext = { line, demangle: this.options.demangle };
    const data = value.data;
    try {
      switch (value.type) {
        case "value": {
          const r = this.events.decode(data, ctx);
          if (r.kind === "event") return { kind: "event", event: r.event };
          if (r.kind === "pending") return null;
          return this.malformed(r.reason, line);
        }
        case "printf":
          if (typeof data !== "string") return this.malformed("printf line without text", line);
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
