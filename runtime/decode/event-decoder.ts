// Decodes `value` lines into typed events with the manifest's event schemas and line layouts.
// An event is one head line `[tag, nsecs, pid, tid, comm, …]` and, for events whose strings do not
// fit the BPF stack together, continuation lines `[-tag, nsecs, tid, part, …]` (see
// compiler/ir/manifest.ts, EventLayout). Continuations join the pending head with the same tag,
// tid and nsecs; nothing is ever given to another event.
import type { FieldType } from "../../compiler/ir/program.js";
import type { EventLayout, EventSlot, ManifestEvent } from "../../compiler/ir/manifest.js";
import type { FieldValue, ProbeEvent, SizedStringValue } from "../types.js";
import type { DecodedText } from "./text.js";
import { readInt, readText, readValue, SlotError, type ValueContext } from "./values.js";

const U64 = { kind: "int", bits: 64, signed: false } as const;
const I64 = { kind: "int", bits: 64, signed: true } as const;
const U32 = { kind: "int", bits: 32, signed: false } as const;

/** The single-line layout: what a manifest without `layout` means. */
export function defaultLayout(fields: FieldType[]): EventLayout {
  const slots: EventSlot[] = [{ kind: "tag" }, { kind: "nsecs" }, { kind: "pid" }, { kind: "tid" }, { kind: "comm" }];
  for (const f of fields) {
    if (f.type.kind === "sizedString") slots.push({ kind: "text", field: f.name }, { kind: "length", field: f.name });
    else slots.push({ kind: "field", field: f.name });
  }
  return { lines: [{ part: 0, slots }] };
}

interface Partial {
  decl: ManifestEvent;
  ts: number;
  pid: number;
  tid: number;
  comm: string;
  fields: Record<string, FieldValue>;
  /** Halves of sized strings waiting for the other half (text and length may sit on different lines). */
  pendingText: Map<string, { text?: DecodedText; length?: number }> | null;
  invalidUtf8?: Record<string, string>;
  /** Parts seen so far, as a bit set (part 0 is the head). */
  partsSeen: number;
  partsNeeded: number;
}

/** A slot with its field's type looked up once, when the manifest is read. */
interface CompiledSlot {
  kind: EventSlot["kind"];
  field: string;
  type: FieldType["type"] | null;
  lengthWhat: string;
}

export type EventDecodeResult =
  | { kind: "event"; event: ProbeEvent }
  | { kind: "pending" }
  | { kind: "malformed"; reason: string };

interface CompiledEvent {
  decl: ManifestEvent;
  lines: Map<number, CompiledSlot[]>;
}

function bitCount(n: number): number {
  let c = 0;
  for (let v = n; v !== 0; v &= v - 1) c++;
  return c;
}

export class EventDecoder {
  private readonly byTag = new Map<number, CompiledEvent>();
  private readonly pending = new Map<string, Partial>();

  constructor(events: ManifestEvent[]) {
    for (const decl of events) {
      const layout = decl.layout ?? defaultLayout(decl.fields);
      const types = new Map(decl.fields.map((f) => [f.name, f.type]));
      const compile = (slot: EventSlot): CompiledSlot => {
        const field = "field" in slot ? slot.field : "";
        return { kind: slot.kind, field, type: types.get(field) ?? null, lengthWhat: `${field} (length)` };
      };
      this.byTag.set(decl.tag, { decl, lines: new Map(layout.lines.map((l) => [l.part, l.slots.map(compile)])) });
    }
  }

  get hasEvents(): boolean {
    return this.byTag.size > 0;
  }

  decode(data: unknown, ctx: ValueContext): EventDecodeResult {
    if (!Array.isArray(data) || data.length === 0) return { kind: "malformed", reason: "value line that is not an event tuple" };
    const tag = data[0];
    if (typeof tag !== "number" || !Number.isInteger(tag)) return { kind: "malformed", reason: `event tag is not an integer: ${JSON.stringify(tag)}` };
    const compiled = this.byTag.get(Math.abs(tag));
    if (!compiled) return { kind: "malformed", reason: `unknown event tag ${tag}` };
    try {
      return tag >= 0 ? this.head(compiled, data, ctx) : this.continuation(compiled, data, ctx);
    } catch (err) {
      if (err instanceof SlotError) return { kind: "malformed", reason: `event '${compiled.decl.name}': ${err.message}` };
      throw err;
    }
  }

  /** Heads still waiting for continuations; called at end of stream (each is an incomplete event). */
  drainIncomplete(): string[] {
    const out = [...this.pending.values()].map(
      (p) => `event '${p.decl.name}' at ${p.ts} (tid ${p.tid}) is incomplete: ${bitCount(p.partsSeen)} of ${p.partsNeeded} lines arrived`,
    );
    this.pending.clear();
    return out;
  }

  private head(c: CompiledEvent, data: unknown[], ctx: ValueContext): EventDecodeResult {
    const slots = c.lines.get(0);
    if (!slots) return { kind: "malformed", reason: `event '${c.decl.name}' has no head line in its layout` };
    if (data.length !== slots.length) {
      return { kind: "malformed", reason: `event '${c.decl.name}': expected ${slots.length} values, got ${data.length}` };
    }
    const p: Partial = {
      decl: c.decl,
      ts: 0,
      pid: 0,
      tid: 0,
      comm: "",
      fields: {},
      pendingText: null,
      partsSeen: 1,
      partsNeeded: c.lines.size,
    };
    this.fill(c, p, slots, data, ctx);
    if (p.partsNeeded === 1) return { kind: "event", event: this.finish(c, p) };
    const key = `${c.decl.tag}:${p.tid}:${p.ts}`;
    const stale = this.pending.get(key);
    this.pending.set(key, p);
    if (stale) return { kind: "malformed", reason: `event '${c.decl.name}' at ${stale.ts} (tid ${stale.tid}) was replaced before its continuation lines arrived` };
    return { kind: "pending" };
  }

  private continuation(c: CompiledEvent, data: unknown[], ctx: ValueContext): EventDecodeResult {
    // [-tag, nsecs, tid, part, …]: read the key slots by the layout's own order.
    const partIndex = this.slotValue(c, data, "part");
    const part = readInt(partIndex, U32, "part");
    const slots = c.lines.get(part);
    if (!slots || part === 0) return { kind: "malformed", reason: `event '${c.decl.name}': no continuation part ${part}` };
    if (data.length !== slots.length) {
      return { kind: "malformed", reason: `event '${c.decl.name}' part ${part}: expected ${slots.length} values, got ${data.length}` };
    }
    const ts = readInt(data[slots.findIndex((s) => s.kind === "nsecs")], U64, "nsecs");
    const tid = readInt(data[slots.findIndex((s) => s.kind === "tid")], U32, "tid");
    const key = `${c.decl.tag}:${tid}:${ts}`;
    const p = this.pending.get(key);
    if (!p) return { kind: "malformed", reason: `event '${c.decl.name}' part ${part} (tid ${tid}, ${ts}) has no head line` };
    if (part > 30) return { kind: "malformed", reason: `event '${c.decl.name}': part ${part} is out of range` };
    if (p.partsSeen & (1 << part)) return { kind: "malformed", reason: `event '${c.decl.name}' part ${part} arrived twice` };
    this.fill(c, p, slots, data, ctx);
    p.partsSeen |= 1 << part;
    if (bitCount(p.partsSeen) < p.partsNeeded) return { kind: "pending" };
    this.pending.delete(key);
    return { kind: "event", event: this.finish(c, p) };
  }

  private slotValue(c: CompiledEvent, data: unknown[], kind: "part"): unknown {
    for (const [part, slots] of c.lines) {
      if (part === 0) continue;
      const i = slots.findIndex((s) => s.kind === kind);
      if (i >= 0) return data[i];
    }
    return undefined;
  }

  private fill(c: CompiledEvent, p: Partial, slots: CompiledSlot[], data: unknown[], ctx: ValueContext): void {
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      const v = data[i];
      switch (slot.kind) {
        case "tag":
        case "part":
          break;
        case "nsecs":
          p.ts = readInt(v, I64, "nsecs");
          break;
        case "pid":
          p.pid = readInt(v, U32, "pid");
          break;
        case "tid":
          p.tid = readInt(v, U32, "tid");
          break;
        case "comm":
          p.comm = readText(v, ctx, "comm").text;
          break;
        case "field": {
          const type = slot.type;
          if (!type) throw new SlotError(`layout names an unknown field '${slot.field}'`);
          if (type.kind === "string") {
            const t = readText(v, ctx, slot.field);
            p.fields[slot.field] = t.text;
            if (t.bytesHex !== undefined) (p.invalidUtf8 ??= {})[slot.field] = t.bytesHex;
          } else {
            p.fields[slot.field] = readValue(v, type, ctx, slot.field);
          }
          break;
        }
        case "text":
        case "length": {
          p.pendingText ??= new Map();
          const halves = p.pendingText.get(slot.field) ?? {};
          if (slot.kind === "text") halves.text = readText(v, ctx, slot.field);
          else halves.length = readInt(v, U64, slot.lengthWhat);
          p.pendingText.set(slot.field, halves);
          break;
        }
      }
    }
  }

  private finish(c: CompiledEvent, p: Partial): ProbeEvent {
    for (const [field, { text, length }] of p.pendingText ?? []) {
      if (text === undefined) throw new SlotError(`field '${field}' has a length but no text`);
      // Without a length slot the true length is unknown: what was copied is all we can claim.
      const trueLength = length ?? text.byteLength;
      const value: SizedStringValue = { text: text.text, length: trueLength, truncated: text.byteLength < trueLength };
      if (text.bytesHex !== undefined) value.bytesHex = text.bytesHex;
      p.fields[field] = value;
    }
    const fields = c.decl.fields;
    for (let i = 0; i < fields.length; i++) {
      if (!(fields[i].name in p.fields)) throw new SlotError(`field '${fields[i].name}' is missing from the layout`);
    }
    const event: ProbeEvent = { event: c.decl.name, ts: p.ts, pid: p.pid, tid: p.tid, comm: p.comm, fields: p.fields };
    if (p.invalidUtf8) event.invalidUtf8 = p.invalidUtf8;
    return event;
  }
}
