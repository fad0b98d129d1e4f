// bpftrace prints a tuple map key as one comma-joined string (`@m[1, "a,b"]` → "1,a,b"). We split
// it by the declared key types: integers are digits, stacks start and end with a newline, strings
// take any text. When strings contain commas more than one split can fit: the first is used and
// the entry is flagged ambiguous (two string elements with commas cannot be told apart).
import type { ValueType } from "../../compiler/ir/program.js";
import type { FieldValue } from "../types.js";
import { readValue, SlotError, type ValueContext } from "./values.js";

const INTEGER = /^-?\d+$/;

function fits(piece: string, type: ValueType): boolean {
  switch (type.kind) {
    case "int":
    case "pointer":
    case "bool":
      return INTEGER.test(piece);
    case "ustack":
    case "kstack":
      return piece === "" || (piece.startsWith("\n") && piece.endsWith("\n"));
    default:
      return true;
  }
}

function convert(piece: string, type: ValueType, ctx: ValueContext): FieldValue {
  const json = type.kind === "int" || type.kind === "pointer" || type.kind === "bool" ? Number(piece) : piece;
  // The key text is already decoded text; strings inside it must not be decoded again.
  return readValue(json, type, { ...ctx, line: "" }, "key");
}

export function splitTupleKey(text: string, types: ValueType[], ctx: ValueContext): { values: FieldValue[]; ambiguous: boolean } | null {
  if (types.length === 1) {
    if (!fits(text, types[0])) return null;
    try {
      return { values: [convert(text, types[0], ctx)], ambiguous: false };
    } catch (err) {
      if (err instanceof SlotError) return null;
      throw err;
    }
  }
  const commas: number[] = [];
  for (let i = text.indexOf(","); i >= 0; i = text.indexOf(",", i + 1)) commas.push(i);
  const solutions: string[][] = [];
  const walk = (element: number, start: number, pieces: string[]): void => {
    if (solutions.length >= 2) return;
    if (element === types.length - 1) {
      const piece = text.slice(start);
      if (fits(piece, types[element])) solutions.push([...pieces, piece]);
      return;
    }
    for (const c of commas) {
      if (c < start) continue;
      const piece = text.slice(start, c);
      if (!fits(piece, types[element])) continue;
      walk(element + 1, c + 1, [...pieces, piece]);
      if (solutions.length >= 2) return;
    }
  };
  walk(0, 0, []);
  if (solutions.length === 0) return null;
  try {
    return { values: solutions[0].map((p, i) => convert(p, types[i], ctx)), ambiguous: solutions.length > 1 };
  } catch (err) {
    if (err instanceof SlotError) return null;
    throw err;
  }
}
