// How each event is laid out in bpftrace's output: which values go into which printed tuple.
//
// bpftrace builds a printed tuple on the 512-byte BPF stack, and on 0.17 every `str()` takes
// BPFTRACE_STRLEN bytes there, twice (the copy and the tuple slot). Measured on 0.17: one string
// of 176 bytes plus the header fits, 200 does not; two strings of 64 fit, 96 do not. An event that
// would not fit is split: a head line with the header and the non-text fields, then one line per
// text field that carries the head's timestamp and thread so the runtime can pair them
// (the contract is documented on `EventLayout` in compiler/ir/manifest.ts).
import type { EventDecl, ValueType } from "../ir/program.js";
import type { EventLayout, EventLine, EventSlot } from "../ir/manifest.js";
import { BackendCode, BackendError } from "./backend-error.js";

/** Stack bytes a printed tuple may use, leaving room for the probe's other temporaries. */
export const TUPLE_STACK_BUDGET = 480;
const COMM_BYTES = 16;

function isText(t: ValueType): boolean {
  return t.kind === "string" || t.kind === "sizedString";
}

/** Stack cost of one value in a printed tuple, in the model above (text twice, integers 16). */
function valueCost(t: ValueType, strlen: number): number {
  switch (t.kind) {
    case "string":
      return 2 * strlen;
    case "sizedString":
      return 2 * strlen + 16;
    case "tuple":
      return t.elements.reduce((n, e) => n + valueCost(e, strlen), 0);
    case "record":
      return t.fields.reduce((n, f) => n + valueCost(f.type, strlen), 0);
    default:
      return 16;
  }
}

const HEADER_COST = 4 * 16 + 2 * COMM_BYTES;
const CONTINUATION_HEADER_COST = 4 * 16;

function fieldSlots(name: string, t: ValueType): EventSlot[] {
  return t.kind === "sizedString"
    ? [
        { kind: "text", field: name },
        { kind: "length", field: name },
      ]
    : [{ kind: "field", field: name }];
}

const HEAD_SLOTS: EventSlot[] = [{ kind: "tag" }, { kind: "nsecs" }, { kind: "pid" }, { kind: "tid" }, { kind: "comm" }];
const CONTINUATION_SLOTS: EventSlot[] = [{ kind: "tag" }, { kind: "nsecs" }, { kind: "tid" }, { kind: "part" }];

export function planEventLayout(event: EventDecl, strlen: number): EventLayout {
  const whole = HEADER_COST + event.fields.reduce((n, f) => n + valueCost(f.type, strlen), 0);
  if (whole <= TUPLE_STACK_BUDGET) {
    return { lines: [{ part: 0, slots: [...HEAD_SLOTS, ...event.fields.flatMap((f) => fieldSlots(f.name, f.type))] }] };
  }
  const head: EventLine = { part: 0, slots: [...HEAD_SLOTS] };
  const lines: EventLine[] = [head];
  let headCost = HEADER_COST;
  for (const f of event.fields) {
    if (!isText(f.type)) {
      head.slots.push(...fieldSlots(f.name, f.type));
      headCost += valueCost(f.type, strlen);
      continue;
    }
    const cost = CONTINUATION_HEADER_COST + valueCost(f.type, strlen);
    if (cost > TUPLE_STACK_BUDGET) {
      throw new BackendError(BackendCode.EventTooLarge, `field '${f.name}' of event '${event.name}' does not fit on the BPF stack even alone (BPFTRACE_STRLEN ${strlen})`, event.loc);
    }
    lines.push({ part: lines.length, slots: [...CONTINUATION_SLOTS, ...fieldSlots(f.name, f.type)] });
  }
  if (headCost > TUPLE_STACK_BUDGET) {
    throw new BackendError(
      BackendCode.EventTooLarge,
      `event '${event.name}' has too many fields to print in one line from the BPF stack (about ${headCost} of ${TUPLE_STACK_BUDGET} bytes without its text fields); split it into two events`,
      event.loc,
    );
  }
  return { lines };
}
