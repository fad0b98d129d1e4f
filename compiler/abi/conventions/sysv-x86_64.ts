// The System V AMD64 calling convention (psABI §3.2.3), for the classes probec distinguishes.
// At function entry the return address is at sp, so stack-passed arguments start at sp+8.
import type { ParamClass } from "../classify.js";
import { returnsInMemory, unplacedFrom, type CallShape, type CallingConvention, type Location, type PlacedCall, type Word } from "./location.js";

const INT_REGS = ["di", "si", "dx", "cx", "r8", "r9"];
const VECTOR_REGS = 8;
const FIRST_STACK_OFFSET = 8;

function placeCall(shape: CallShape): PlacedCall {
  let nextInt = 0;
  let nextVector = 0;
  let stack = FIRST_STACK_OFFSET;
  const stackWords = (count: number, align: number): Word[] => {
    // The argument area starts 16-byte aligned at sp+8.
    const rel = stack - FIRST_STACK_OFFSET;
    stack = FIRST_STACK_OFFSET + Math.ceil(rel / align) * align;
    const words: Word[] = [];
    for (let i = 0; i < count; i++, stack += 8) words.push({ kind: "stack", offset: stack });
    return words;
  };
  const intWords = (count: number, stackAlign: number): Location => {
    // An argument that does not fit in the remaining registers goes wholly on the stack, and
    // later integer arguments still take the registers that are left.
    if (nextInt + count <= INT_REGS.length) {
      const words: Word[] = INT_REGS.slice(nextInt, nextInt + count).map((name) => ({ kind: "reg", name }));
      nextInt += count;
      return { kind: "words", words };
    }
    return { kind: "words", words: stackWords(count, stackAlign) };
  };

  if (shape.returns?.kind === "unknown") {
    const reason = `the return type decides where the arguments are, and ${shape.returns.reason}`;
    return { thisLocation: { kind: "unplaced", reason }, params: shape.params.map(() => ({ kind: "unplaced", reason })) };
  }
  // A result returned in memory takes rdi for its address, before `this`.
  if (returnsInMemory(shape.returns)) nextInt = 1;
  const thisLocation = shape.hasThis ? intWords(1, 8) : null;
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
        params.push(intWords(1, 8));
        return;
      case "int128":
        // The psABI (and GCC) align a stack-passed __int128 to 16; clang before 18 aligned it to 8.
        params.push(intWords(2, 16));
        return;
      case "aggregate16":
        params.push(intWords(2, 8));
        return;
      case "float":
        if (nextVector < VECTOR_REGS) params.push({ kind: "vector", name: `xmm${nextVector++}` });
        else params.push({ kind: "words", words: stackWords(cls.bits === 128 ? 2 : 1, cls.bits === 128 ? 16 : 8) });
        return;
      case "x87":
        params.push({ kind: "words", words: stackWords(2, 16) });
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
      return { kind: "words", words: [{ kind: "reg", name: "ax" }] };
    case "int128":
    case "aggregate16":
      return { kind: "words", words: [{ kind: "reg", name: "ax" }, { kind: "reg", name: "dx" }] };
    case "indirect":
      // The callee returns the address of the object it constructed in rax.
      return { kind: "words", words: [{ kind: "reg", name: "ax" }] };
    case "float":
      return { kind: "vector", name: "xmm0" };
    case "x87":
      return { kind: "unplaced", reason: "a long double is returned in the x87 register st0, which bpftrace cannot read" };
    case "variadic":
      return { kind: "unplaced", reason: "'...' is not a return type" };
    case "unknown":
      return { kind: "unplaced", reason: cls.reason };
  }
}

export const sysvX86_64: CallingConvention = { stackPointer: "sp", placeCall, placeReturn };
