// The Procedure Call Standard for the Arm 64-bit Architecture (AAPCS64, Linux/ELF), for the classes
// probec distinguishes. Registers are named as bpftrace's reg() takes them on arm64 (`r0`…`r30`,
// `sp`). Nothing is pushed by the call, so stack-passed arguments start at sp+0.
import type { ParamClass } from "../classify.js";
import { unplacedFrom, type CallShape, type CallingConvention, type Location, type PlacedCall, type Word } from "./location.js";

const INT_REGS = 8;
const VECTOR_REGS = 8;

function placeCall(shape: CallShape): PlacedCall {
  let ngrn = 0; // next general-purpose register number
  let nsrn = 0; // next SIMD/FP register number
  let nsaa = 0; // next stacked argument offset from sp
  const stackWords = (count: number, align: number): Word[] => {
    nsaa = Math.ceil(nsaa / align) * align;
    const words: Word[] = [];
    for (let i = 0; i < count; i++, nsaa += 8) words.push({ kind: "stack", offset: nsaa });
    return words;
  };
  const intWords = (count: number, evenRegister: boolean, stackAlign: number): Location => {
    // Rule C.8: 16-byte-aligned types start at an even register; plain 8-byte-aligned structs do not.
    if (evenRegister) ngrn += ngrn % 2;
    if (ngrn + count <= INT_REGS) {
      const words: Word[] = [];
      for (let i = 0; i < count; i++) words.push({ kind: "reg", name: `r${ngrn++}` });
      return { kind: "words", words };
    }
    // Rule C.13: once an argument spills, no later one uses a general-purpose register.
    ngrn = INT_REGS;
    return { kind: "words", words: stackWords(count, stackAlign) };
  };

  // Results in memory use x8 on AArch64, so (unlike x86-64) the return type never moves the arguments.
  const thisLocation = shape.hasThis ? intWords(1, false, 8) : null;
  const params: Location[] = [];
  let blocked: Location | null = null;
  shape.params.forEach((cls: ParamClass, index) => {
    if (blocked) {
      params.push(blocked);
      return;
    }
    switch (cls.kind) {
      case "int":
      case "pointer":
      case "indirect":
        params.push(intWords(1, false, 8));
        return;
      case "int128":
        params.push(intWords(2, true, 16));
        return;
      case "aggregate16":
        params.push(intWords(2, false, 8));
        return;
      case "float":
        if (nsrn < VECTOR_REGS) params.push({ kind: "vector", name: `v${nsrn++}` });
        else {
          nsrn = VECTOR_REGS;
          params.push({ kind: "words", words: stackWords(cls.bits === 128 ? 2 : 1, cls.bits === 128 ? 16 : 8) });
        }
        return;
      case "x87":
        blocked = { kind: "unplaced", reason: "x87 long double does not exist on AArch64" };
        params.push(blocked);
        return;
      case "variadic":
        blocked = { kind: "unplaced", reason: "arguments passed through '...' have no declared type" };
        params.push(blocked);
        return;
      case "unknown":
        blocked = unplacedFrom(index, cls);
        params.push(blocked);
        return;
    }
  });
  return { thisLocation, params };
}

function placeReturn(cls: ParamClass): Location {
  switch (cls.kind) {
    case "int":
    case "pointer":
      return { kind: "words", words: [{ kind: "reg", name: "r0" }] };
    case "int128":
    case "aggregate16":
      return { kind: "words", words: [{ kind: "reg", name: "r0" }, { kind: "reg", name: "r1" }] };
    case "indirect":
      return {
        kind: "unplaced",
        reason: "on AArch64 a class returned in memory is written through x8, which the callee need not preserve; save reg(\"r8\") at entry in a per-thread map and read it at return",
      };
    case "float":
      return { kind: "vector", name: "v0" };
    case "x87":
      return { kind: "unplaced", reason: "x87 long double does not exist on AArch64" };
    case "variadic":
      return { kind: "unplaced", reason: "'...' is not a return type" };
    case "unknown":
      return { kind: "unplaced", reason: cls.reason };
  }
}

export const aapcs64: CallingConvention = { stackPointer: "sp", placeCall, placeReturn };
