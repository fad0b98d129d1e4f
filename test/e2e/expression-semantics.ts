// The reference of docs/expressions.md for the differential test: a seeded generator of handler
// expressions (TypeScript source text over typed locals and literals) and an evaluator of the
// documented semantics, written from the document and independent of the compiler's code.

export interface IntT {
  bits: 8 | 16 | 32 | 64;
  signed: boolean;
}
export type T = IntT | "bool";
/** A value of the reference: its mathematical value in its type, and whether probec knows it at build time. */
export interface RV {
  v: bigint;
  t: T;
  constant: boolean;
}
/** A generated expression: its TypeScript text and its documented value (null: probec must refuse it). */
export interface Gen {
  src: string;
  kind: "num" | "bool";
  value: RV | null;
}

export const I64: IntT = { bits: 64, signed: true };
export const LOCAL_TYPES: { name: string; t: IntT }[] = [
  { name: "i8", t: { bits: 8, signed: true } },
  { name: "u8", t: { bits: 8, signed: false } },
  { name: "i16", t: { bits: 16, signed: true } },
  { name: "u16", t: { bits: 16, signed: false } },
  { name: "i32", t: { bits: 32, signed: true } },
  { name: "u32", t: { bits: 32, signed: false } },
  { name: "i64", t: { bits: 64, signed: true } },
  { name: "u64", t: { bits: 64, signed: false } },
];

export const wrap = (v: bigint, t: IntT): bigint => (t.signed ? BigInt.asIntN(t.bits, v) : BigInt.asUintN(t.bits, v));
const pattern = (v: bigint): bigint => BigInt.asUintN(64, v);
const asInt = (x: RV): { v: bigint; t: IntT } => (x.t === "bool" ? { v: x.v, t: I64 } : { v: x.v, t: x.t });

/** A small seeded PRNG (mulberry32): the same seed gives the same expressions. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [
  0n, 1n, 2n, 3n, 7n, 63n, 64n, 65n, 100n, 127n, 128n, 255n, 256n, 1000n, 32767n, 32768n, 65535n, 65536n,
  (1n << 31n) - 1n, 1n << 31n, (1n << 32n) - 1n, 1n << 32n, (1n << 53n) + 1n, (1n << 63n) - 1n,
  -1n, -2n, -7n, -100n, -128n, -129n, -32768n, -(1n << 31n), -(1n << 63n),
];

export function inputValue(rand: () => number): bigint {
  if (rand() < 0.8) return INTERESTING[Math.floor(rand() * INTERESTING.length)]!;
  let v = 0n;
  for (let i = 0; i < 4; i++) v = (v << 16n) | BigInt(Math.floor(rand() * 65536));
  return BigInt.asIntN(64, v);
}

/** How a literal is spelled in the probe source: decimal, hex (also above 2^53), or negated. */
function literal(rand: () => number): { src: string; v: bigint } {
  const r = rand();
  if (r < 0.5) {
    const v = BigInt(Math.floor(rand() * 70));
    return { src: v.toString(), v };
  }
  if (r < 0.75) {
    const v = INTERESTING.filter((x) => x >= 0n)[Math.floor(rand() * 24)]!;
    return { src: `0x${v.toString(16)}`, v };
  }
  if (r < 0.85) return { src: "0xffffffffffffffff", v: -1n };
  if (r < 0.9) return { src: "0x1234567890abcdef", v: 0x1234567890abcdefn };
  const v = BigInt(Math.floor(rand() * 300));
  return { src: `(-${v})`, v: -v };
}

const NUM_OPS = ["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"] as const;
const CMP_OPS = ["==", "!=", "<", "<=", ">", ">="] as const;
const TS_CMP: Record<string, string> = { "==": "===", "!=": "!==" };

export interface Local {
  name: string;
  t: IntT;
  value: bigint;
}

/** Folding as the document says probec does it: both operands int64 constants; some are refused. */
function fold(op: string, a: bigint, b: bigint): bigint | boolean | null {
  const fits = (x: bigint) => (x >= -(1n << 63n) && x < 1n << 64n ? BigInt.asIntN(64, x) : null);
  switch (op) {
    case "+": return fits(a + b);
    case "-": return fits(a - b);
    case "*": return fits(a * b);
    case "&": return BigInt.asIntN(64, a & b);
    case "|": return BigInt.asIntN(64, a | b);
    case "^": return BigInt.asIntN(64, a ^ b);
    case "<<": return b < 0n || b > 63n ? null : fits(a << b);
    case ">>": return b < 0n || b > 63n ? null : BigInt.asIntN(64, pattern(a) >> b);
    case "/": return b === 0n ? null : BigInt.asIntN(64, pattern(a) / pattern(b));
    case "%": return b === 0n ? null : BigInt.asIntN(64, pattern(a) % pattern(b));
    case "==": return a === b;
    case "!=": return a !== b;
    case "<": return a < b;
    case "<=": return a <= b;
    case ">": return a > b;
    case ">=": return a >= b;
  }
  throw new Error(op);
}

/** A binary operation on the documented semantics (null: probec refuses it at build time). */
export function binary(op: string, x: RV, y: RV): RV | null {
  const a = asInt(x);
  const b = asInt(y);
  if (x.constant && y.constant) {
    const f = fold(op, a.v, b.v);
    if (f === null) return null;
    return typeof f === "boolean" ? { v: f ? 1n : 0n, t: "bool", constant: true } : { v: f, t: I64, constant: true };
  }
  // A constant divisor 0 or shift count outside 0…63 next to a run-time value is refused too.
  if (y.constant && (op === "/" || op === "%") && b.v === 0n) return null;
  if (y.constant && (op === "<<" || op === ">>") && (b.v < 0n || b.v > 63n)) return null;
  // Comparisons and arithmetic are signed when both operands are; a shift when its left one is.
  const signed = op === "<<" || op === ">>" ? a.t.signed : a.t.signed && b.t.signed;
  const pa = pattern(a.v);
  const pb = pattern(b.v);
  const cmp = (l: bigint, r: bigint): RV => {
    const [sl, sr] = signed ? [BigInt.asIntN(64, l), BigInt.asIntN(64, r)] : [l, r];
    const res = op === "==" ? sl === sr : op === "!=" ? sl !== sr : op === "<" ? sl < sr : op === "<=" ? sl <= sr : op === ">" ? sl > sr : sl >= sr;
    return { v: res ? 1n : 0n, t: "bool", constant: false };
  };
  if ((CMP_OPS as readonly string[]).includes(op)) return cmp(pa, pb);
  let r: bigint;
  switch (op) {
    case "+": r = pa + pb; break;
    case "-": r = pa - pb; break;
    case "*": r = pa * pb; break;
    case "&": r = pa & pb; break;
    case "|": r = pa | pb; break;
    case "^": r = pa ^ pb; break;
    case "<<": r = pa << (pb & 63n); break;
    case ">>": r = pa >> (pb & 63n); break;
    case "/": r = pb === 0n ? 0n : pa / pb; break;
    case "%": r = pb === 0n ? pa : pa % pb; break;
    default: throw new Error(op);
  }
  const t: IntT = { bits: 64, signed };
  return { v: wrap(r, t), t, constant: false };
}

export function unary(op: "-" | "~" | "!", x: RV): RV {
  if (op === "!") return { v: x.v === 0n ? 1n : 0n, t: "bool", constant: x.constant };
  const a = asInt(x);
  if (x.constant) return { v: BigInt.asIntN(64, op === "-" ? -a.v : ~a.v), t: I64, constant: true };
  return { v: wrap(op === "-" ? -a.v : ~a.v, a.t), t: a.t, constant: false };
}

/** `&&` / `||` in a handler: 0 or 1, known at build time when the left side decides or both are known. */
export function logical(op: "&&" | "||", x: RV, y: RV): RV {
  const lt = x.v !== 0n;
  const rt = y.v !== 0n;
  const v = op === "&&" ? lt && rt : lt || rt;
  const decidedByLeft = x.constant && (op === "&&" ? !lt : lt);
  const constant = decidedByLeft || (x.constant && y.constant);
  return { v: v ? 1n : 0n, t: "bool", constant };
}

/** A literal, maybe negated or parenthesised: TypeScript refuses some uses of these (TS2367, TS2872). */
const bare = (g: Gen): boolean => /^[-~!(]*(0x[0-9a-f]+|\d+)\)*$/i.test(g.src);

export class ExpressionGenerator {
  constructor(
    private readonly rand: () => number,
    private readonly locals: Local[],
  ) {}

  private pick<X>(xs: readonly X[]): X {
    return xs[Math.floor(this.rand() * xs.length)]!;
  }

  /** A number-typed expression (in TypeScript's eyes) of at most `depth` operator levels. */
  num(depth: number): Gen {
    const r = this.rand();
    if (depth === 0 || r < 0.15) {
      if (this.rand() < 0.6) {
        const l = this.pick(this.locals);
        return { src: l.name, kind: "num", value: { v: l.value, t: l.t, constant: false } };
      }
      const lit = literal(this.rand);
      return { src: lit.src, kind: "num", value: { v: BigInt.asIntN(64, lit.v), t: I64, constant: true } };
    }
    if (r < 0.27) {
      const op = this.pick(["-", "~"] as const);
      const x = this.num(depth - 1);
      return { src: `${op}(${x.src})`, kind: "num", value: x.value && unary(op, x.value) };
    }
    if (r < 0.33) {
      const op = this.pick(["&&", "||"] as const);
      // TypeScript refuses a literal left of && and || ("always truthy", TS2872/TS2873).
      let x = this.num(depth - 1);
      while (bare(x)) x = this.num(depth - 1);
      const y = this.num(depth - 1);
      return { src: `(${x.src} ${op} ${y.src})`, kind: "num", value: x.value && y.value && logical(op, x.value, y.value) };
    }
    const op = this.pick(NUM_OPS);
    const x = this.num(depth - 1);
    const y = this.num(depth - 1);
    return { src: `(${x.src} ${op} ${y.src})`, kind: "num", value: x.value && y.value && binary(op, x.value, y.value) };
  }

  /** A boolean-typed expression: comparisons, `!`, and logic on them. */
  bool(depth: number): Gen {
    const r = this.rand();
    if (depth <= 1 || r < 0.6) {
      let op: string = this.pick(CMP_OPS);
      const x = this.num(Math.max(0, depth - 1));
      const y = this.num(Math.max(0, depth - 1));
      // TypeScript refuses `1 === 2` (TS2367, no overlap between two literal types).
      if ((op === "==" || op === "!=") && bare(x) && bare(y)) op = "<";
      return { src: `(${x.src} ${TS_CMP[op] ?? op} ${y.src})`, kind: "bool", value: x.value && y.value && binary(op, x.value, y.value) };
    }
    if (r < 0.75) {
      let x = this.rand() < 0.5 ? this.num(depth - 1) : this.bool(depth - 1);
      while (bare(x)) x = this.num(depth - 1);
      return { src: `!(${x.src})`, kind: "bool", value: x.value && unary("!", x.value) };
    }
    const op = this.pick(["&&", "||", "==", "!="] as const);
    const x = this.bool(depth - 1);
    const y = this.bool(depth - 1);
    if (op === "==" || op === "!=") {
      return { src: `(${x.src} ${TS_CMP[op]} ${y.src})`, kind: "bool", value: x.value && y.value && binary(op, x.value, y.value) };
    }
    return { src: `(${x.src} ${op} ${y.src})`, kind: "bool", value: x.value && y.value && logical(op, x.value, y.value) };
  }

  /** An expression probec accepts (regenerated until the reference says it is not refused). */
  next(depth: number): Gen & { value: RV } {
    for (;;) {
      const g = this.rand() < 0.75 ? this.num(depth) : this.bool(depth);
      if (g.value) return g as Gen & { value: RV };
    }
  }
}

