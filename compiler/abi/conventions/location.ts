// Where a parameter or a return value lives at the probe point, independent of the architecture:
// a list of 8-byte words, each in a general-purpose register or a stack slot, or a vector register
// (which bpftrace's reg() cannot read), or nowhere probec can tell.
import type { ParamClass } from "../classify.js";

export type Word =
  /** A general-purpose register, named as bpftrace's reg() takes it (`di`, `r0`). */
  | { kind: "reg"; name: string }
  /** An 8-byte slot at `sp + offset` at function entry. */
  | { kind: "stack"; offset: number };

export type Location =
  | { kind: "words"; words: Word[] }
  | { kind: "vector"; name: string }
  | { kind: "unplaced"; reason: string };

/** What a calling convention needs to know to place a function's parameters. */
export interface CallShape {
  /** The classes of the parameters in order, `this` not included. */
  params: ParamClass[];
  /** Member functions pass `this` as a hidden first pointer argument. */
  hasThis: boolean;
  /** The class of the return value when known (it matters when the result is returned in memory). */
  returns: ParamClass | null;
}

export interface PlacedCall {
  thisLocation: Location | null;
  params: Location[];
}

export interface CallingConvention {
  /** The register the stack pointer is read from. */
  stackPointer: string;
  /** Places `this` and every parameter at function entry. */
  placeCall(shape: CallShape): PlacedCall;
  /** Where a returned value of this class is at the return probe. */
  placeReturn(cls: ParamClass): Location;
}

/** Marks everything from the first parameter that cannot be placed onwards as unplaced. */
export function unplacedFrom(index: number, cls: ParamClass & { kind: "unknown" }): Location {
  return { kind: "unplaced", reason: `parameter ${index} cannot be placed: ${cls.reason}` };
}

/** True when the ABI returns this class in memory through a hidden pointer argument (sret). */
export function returnsInMemory(cls: ParamClass | null): boolean {
  return cls !== null && cls.kind === "indirect";
}
