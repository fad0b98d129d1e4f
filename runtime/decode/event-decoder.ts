// Decodes `value` lines into typed events with the manifest's event schemas and line layouts.
// An event is one head line `[tag, nsecs, pid, tid, comm, …]` and, for events whose strings do not
// fit the BPF stack together, continuation lines `[-tag, nsecs, tid, part, …]` (see
// compiler/ir/manifest.ts, EventLayout). Continuations join the pending head with the same tag,
// tid and nsecs; nothing is ever given to another event.
//
// This is the hot path of `probec run` (bench/decode.bench.mjs): layouts are compiled once into
// numbered slot kinds, a sized string's (text, length) pair is read as one slot, and ASCII strings
// skip the text decoder.
import type { FieldType, ValueType } from "../../compiler/ir/program.js";
import type { EventLayout, EventSlot, ManifestEvent } from "../../compiler/ir/manifest.js";
import type { FieldValue, ProbeEvent, RuntimeItem, SizedStringValue } from "../types.js";
import type { DecodedText } from "./text.js";
import { readInt, readText, readValue, SlotError, type ValueContext } from "./values.js";
import { compileEvent, type CompiledEventFn, type SimpleSlot } from "./compiled-event.js";

const U64 = { kind: "int", bits: 64, signed: false } as const;
const I64 = { kind: "int", bits: 64, signed: true } as const;
const U32 = { kind: "int", bits: 32, signed: false } as const;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** The single-line layout: what a manifest without `layout` means. */
export function defaultLayout(fields: FieldType[]): EventLayout {
  const slots: EventSlot[] = [{ kind: "tag" }, { kind: "nsecs" }, { kind: "pid" }, { kind: "tid" }, { kind: "comm" }];
  for (const f of fields) {
    if (f.type.kind === "sizedString") slots.push({ kind: "text", field: f.name }, { kind: "length", field: f.name });
    else slots.push({ kind: "field", field: f.name });
  }
  return { lines: [{ part: 0, slots }] };
}

const enum Slot {
  Skip,
  Nsecs,
  Pid,
  Tid,
  Comm,
  StringField,
  ValueField,
  /** A sized string's text and length in two adjacent values. */
  SizedPair,
  Text,
  Length,
}

/** A slot with its field's type looked up once, when the manifest is read. */
interface CompiledSlot {
  kind: Slot;
  /** Index of the (first) value this slot reads. */
  at: number;
  field: string;
  type: ValueType | null;
  lengthWhat: string;
}

interface CompiledLine {
  /** Number of values the line has. */
  arity: number;
  slots: CompiledSlot[];
}

interface CompiledEvent {
  decl: ManifestEvent;
  lines: Map<number, CompiledLine>;
  /** Set when the layout cannot produce the declared fields: every such event is malformed. */
  layoutProblem: string | null;
  /** Indexes of nsecs, tid and part on continuation lines (the same on each). */
  contNsecs: number;
  contTid: number;
  contPart: number;
  /** Straight-line decoder for single-line events (compiled-event.ts); null: use the slot walk. */
  fast: CompiledEventFn | null;
}

const SIMPLE_KINDS: Partial<Record<Slot, SimpleSlot["kind"]>> = {
  [Slot.Nsecs]: "nsecs",
  [Slot.Pid]: "pid",
  [Slot.Tid]: "tid",
  [Slot.Comm]: "comm",
  [Slot.StringField]: "string",
  [Slot.ValueField]: "value",
  [Slot.SizedPair]: "sizedPair",
};

function compileFast(name: string, lines: Map<number, CompiledLine>): CompiledEventFn | null {
  if (lines.size !== 1) return null;
  const line = lines.get(0);
  if (!line) return null;
  const simple: SimpleSlot[] = [];
  for (const s of line.slots) {
    const kind = SIMPLE_KINDS[s.kind];
    if (kind === undefined) return null;
    simple.push({ kind, at: s.at, field: s.field, type: s.type, lengthWhat: s.lengthWhat });
  }
  return compileEvent(name, simple);
}

interface Pending {
  event: ProbeEvent;
  /** Halves of sized strings split across lines. */
  halves: Map<string, { text?: DecodedText; length?: number }> | null;
  /** Parts seen so far, as a bit set (part 0 is the head). */
  partsSeen: number;
  partsNeeded: number;
}

export type EventDecodeResult = RuntimeItem | { kind: "pending" } | { kind: "malformedEvent"; reason: string };

function bitCount(n: number): number {
  let c = 0;
  for (let v = n; v !== 0; v &= v - 1) c++;
  return c;
}

function compileLine(slots: EventSlot[], types: Map<string, ValueType>): CompiledLine {
  const out: CompiledSlot[] = [];
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i];
    const field = "field" in s ? s.field : "";
    const type = types.get(field) ?? null;
    const base = { at: i, field, type, lengthWhat: `${field} (length)` };
    switch (s.kind) {
      case "tag":
      case "part":
        break;
      case "nsecs":
        out.push({ ...base, kind: Slot.Nsecs });
        break;
      case "pid":
        out.push({ ...base, kind: Slot.Pid });
        break;
      case "tid":
        out.push({ ...base, kind: Slot.Tid });
        break;
      case "comm":
        out.push({ ...base, kind: Slot.Comm });
        break;
      case "field":
        out.push({ ...base, kind: type?.kind === "string" ? Slot.StringField : Slot.ValueField });
        break;
      case "text": {
        const next = slots[i + 1];
        if (next && next.kind === "length" && next.field === field) {
          out.push({ ...base, kind: Slot.SizedPair });
          i++;
        } else out.push({ ...base, kind: Slot.Text });
        break;
      }
      case "length":
        out.push({ ...base, kind: Slot.Length });
        break;
    }
  }
  return { arity: slots.length, slots: out };
}

function layoutProblem(decl: ManifestEvent, layout: EventLayout): string | null {
  const named = new Set(layout.lines.flatMap((l) => l.slots.flatMap((s) => ("field" in s ? [s.field] : []))));
  for (const f of decl.fields) if (!named.has(f.name)) return `field '${f.name}' is missing from the layout`;
  for (const n of named) if (!decl.fields.some((f) => f.name === n)) return `layout names an unknown field '${n}'`;
  if (!layout.lines.some((l) => l.part === 0)) return "the layout has no head line";
  return null;
}

function sizedValue(text: DecodedText, length: number | undefined): SizedStringValue {
  // Without a length slot the true length is unknown: what was copied is all we can claim.
  const trueLength = length ?? text.byteLength;
  const value: SizedStringValue = { text: text.text, length: trueLength, truncated: text.byteLength < trueLength };
  if (text.bytesHex !== undefined) value.bytesHex = text.bytesHex;
  return value;
}

export class EventDecoder {
  private readonly byTag = new Map<number, CompiledEvent>();
  private readonly pending = new Map<string, Pending>();

  constructor(events: ManifestEvent[]) {
    for (const decl of events) {
      const layout = decl.layout ?? defaultLayout(decl.fields);
      const types = new Map(decl.fields.map((f) => [f.name, f.type]));
      const cont = layout.lines.find((l) => l.part !== 0)?.slots ?? [];
      const lines = new Map(layout.lines.map((l) => [l.part, compileLine(l.slots, types)]));
      const problem = layoutProblem(decl, layout);
      this.byTag.set(decl.tag, {
        decl,
        lines,
        layoutProblem: problem,
        fast: problem === null ? compileFast(decl.name, lines) : null,
        contNsecs: cont.findIndex((s) => s.kind === "nsecs"),
        contTid: cont.findIndex((s) => s.kind === "tid"),
        contPart: cont.findIndex((s) => s.kind === "part"),
      });
    }
  }

  get hasEvents(): boolean {
    return this.byTag.size > 0;
  }

  decode(data: unknown, ctx: ValueContext): EventDecodeResult {
    if (!Array.isArray(data) || data.length === 0) return { kind: "malformedEvent", reason: "value line that is not an event tuple" };
    const tag = data[0];
    if (typeof tag !== "number" || !Number.isInteger(tag)) return { kind: "malformedEvent", reason: `event tag is not an integer: ${JSON.stringify(tag)}` };
    const compiled = this.byTag.get(tag < 0 ? -tag : tag);
    if (!compiled) return { kind: "malformedEvent", reason: `unknown event tag ${tag}` };
    if (compiled.layoutProblem !== null) return { kind: "malformedEvent", reason: `event '${compiled.decl.name}': ${compiled.layoutProblem}` };
    try {
      return tag >= 0 ? this.head(compiled, data, ctx) : this.continuation(compiled, data, ctx);
    } catch (err) {
      if (err instanceof SlotError) return { kind: "malformedEvent", reason: `event '${compiled.decl.name}': ${err.message}` };
      throw err;
    }
  }

  /** Heads still waiting for continuations; called at end of stream (each is an incomplete event). */
  drainIncomplete(): string[] {
    const out = [...this.pending.values()].map(
      ({ event: e, partsSeen, partsNeeded }) => `event '${e.event}' at ${e.ts} (tid ${e.tid}) is incomplete: ${bitCount(partsSeen)} of ${partsNeeded} lines arrived`,
    );
    this.pending.clear();
    return out;
  }

  private head(c: CompiledEvent, data: unknown[], ctx: ValueContext): EventDecodeResult {
    const line = c.lines.get(0)!;
    if (data.length !== line.arity) {
      return { kind: "malformedEvent", reason: `event '${c.decl.name}': expected ${line.arity} values, got ${data.length}` };
    }
    if (c.fast !== null) return { kind: "event", event: c.fast(data, ctx) };
    const event: ProbeEvent = { event: c.decl.name, ts: 0, pid: 0, tid: 0, comm: "", fields: {} };
    if (c.lines.size === 1) {
      const halves = this.fill(event, null, line.slots, data, ctx);
      if (halves !== null) this.joinHalves(event, halves);
      return { kind: "event", event };
    }
    const p: Pending = { event, halves: null, partsSeen: 1, partsNeeded: c.lines.size };
    p.halves = this.fill(event, null, line.slots, data, ctx);
    const key = `${c.decl.tag}:${event.tid}:${event.ts}`;
    const stale = this.pending.get(key);
    this.pending.set(key, p);
    if (stale) return { kind: "malformedEvent", reason: `event '${c.decl.name}' at ${stale.event.ts} (tid ${stale.event.tid}) was replaced before its continuation lines arrived` };
    return { kind: "pending" };
  }

  private continuation(c: CompiledEvent, data: unknown[], ctx: ValueContext): EventDecodeResult {
    if (c.contPart < 0) return { kind: "malformedEvent", reason: `event '${c.decl.name}' has no continuation lines` };
    const part = readInt(data[c.contPart], U32, "part");
    const line = c.lines.get(part);
    if (!line || part === 0 || part > 30) return { kind: "malformedEvent", reason: `event '${c.decl.name}': no continuation part ${part}` };
    if (data.length !== line.arity) {
      return { kind: "malformedEvent", reason: `event '${c.decl.name}' part ${part}: expected ${line.arity} values, got ${data.length}` };
    }
    const ts = readInt(data[c.contNsecs], I64, "nsecs");
    const tid = readInt(data[c.contTid], U32, "tid");
    const key = `${c.decl.tag}:${tid}:${ts}`;
    const p = this.pending.get(key);
    if (!p) return { kind: "malformedEvent", reason: `event '${c.decl.name}' part ${part} (tid ${tid}, ${ts}) has no head line` };
    if (p.partsSeen & (1 << part)) return { kind: "malformedEvent", reason: `event '${c.decl.name}' part ${part} arrived twice` };
    // A continuation repeats nsecs and tid; fill must not overwrite the head's values with others.
    p.halves = this.fill(p.event, p.halves, line.slots, data, ctx);
    p.partsSeen |= 1 << part;
    if (bitCount(p.partsSeen) < c.lines.size) return { kind: "pending" };
    this.pending.delete(key);
    if (p.halves !== null) this.joinHalves(p.event, p.halves);
    return { kind: "event", event: p.event };
  }

  private fill(
    e: ProbeEvent,
    halvesIn: Pending["halves"],
    slots: CompiledSlot[],
    data: unknown[],
    ctx: ValueContext,
  ): Pending["halves"] {
    let halves = halvesIn;
    const fields = e.fields;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      const v = data[slot.at];
      switch (slot.kind) {
        case Slot.Nsecs:
          e.ts = readInt(v, I64, "nsecs");
          break;
        case Slot.Pid:
          e.pid = readInt(v, U32, "pid");
          break;
        case Slot.Tid:
          e.tid = readInt(v, U32, "tid");
          break;
        case Slot.Comm:
          e.comm = typeof v === "string" && ASCII_ONLY.test(v) ? v : readText(v, ctx, "comm").text;
          break;
        case Slot.StringField: {
          if (typeof v === "string" && ASCII_ONLY.test(v)) {
            fields[slot.field] = v;
            break;
          }
          const t = readText(v, ctx, slot.field);
          fields[slot.field] = t.text;
          if (t.bytesHex !== undefined) (e.invalidUtf8 ??= {})[slot.field] = t.bytesHex;
          break;
        }
        case Slot.ValueField:
          fields[slot.field] = readValue(v, slot.type!, ctx, slot.field);
          break;
        case Slot.SizedPair:
          fields[slot.field] = sizedValue(readText(v, ctx, slot.field), readInt(data[slot.at + 1], U64, slot.lengthWhat));
          break;
        case Slot.Text:
        case Slot.Length: {
          halves ??= new Map();
          const h = halves.get(slot.field) ?? {};
          if (slot.kind === Slot.Text) h.text = readText(v, ctx, slot.field);
          else h.length = readInt(v, U64, slot.lengthWhat);
          halves.set(slot.field, h);
          break;
        }
      }
    }
    return halves;
  }

  private joinHalves(e: ProbeEvent, halves: NonNullable<Pending["halves"]>): void {
    for (const [field, { text, length }] of halves) {
      if (text === undefined) throw new SlotError(`field '${field}' has a length but no text`);
      e.fields[field] = sizedValue(text, length);
    }
  }
}

export type { FieldValue };
