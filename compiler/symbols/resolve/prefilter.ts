// The fast path: find the symbols whose mangled bytes contain every needle of a pattern by
// searching the raw string table, before anything is demangled or even turned into a string.
import type { FunctionSymbols } from "../elf/index.js";
import { ByteHistogram, NeedleScanner } from "./needle-scanner.js";

/**
 * Patterns share one pass over tables of at least this size when there are at least
 * SHARED_SCAN_MIN_PATTERNS of them: the pass costs a copy of the table into a string plus about
 * two Buffer.indexOf scans, so it pays from about four patterns on.
 */
const SHARED_SCAN_MIN_BYTES = 4 << 20;
const SHARED_SCAN_MIN_PATTERNS = 4;

const histograms = new WeakMap<FunctionSymbols, ByteHistogram>();
function histogramOf(symbols: FunctionSymbols): ByteHistogram {
  let h = histograms.get(symbols);
  if (h === undefined) {
    h = new ByteHistogram(symbols.strtab);
    histograms.set(symbols, h);
  }
  return h;
}

/** The needle searched in the table, and the others checked inside each candidate name. */
interface ScanPlan {
  scan: Buffer;
  verify: Buffer[];
}

/**
 * Indices of the symbols whose names contain all `needles`, in index order. With no
 * needles every symbol is a candidate.
 */
export function prefilterSymbols(symbols: FunctionSymbols, needles: readonly Buffer[]): number[] {
  return prefilterMany(symbols, [needles])[0]!;
}

/** `prefilterSymbols` for several needle sets, sharing one pass over a large table. */
export function prefilterMany(symbols: FunctionSymbols, needleSets: readonly (readonly Buffer[])[]): number[][] {
  const strtab = symbols.strtab;
  const histogram = histogramOf(symbols);
  const sharing = needleSets.filter((n) => n.length > 0).length >= SHARED_SCAN_MIN_PATTERNS && strtab.length >= SHARED_SCAN_MIN_BYTES;
  // Alone, a pattern scans for its cheapest needle; sharing a pass, for its rarest one (every
  // hit of any alternative costs a check against every pattern).
  const plans = needleSets.map((needles) => (needles.length === 0 ? null : sharing ? rarestPlan(needles, histogram) : planFor(strtab, needles, histogram)));
  const found = new FoundStrings();
  if (sharing) {
    sharedScan(symbols, plans, found);
  } else {
    plans.forEach((plan, k) => {
      if (plan === null) return;
      const scanner = new NeedleScanner(strtab, plan.scan, histogram);
      for (let from = 0, hit = scanner.next(0); hit >= 0; hit = scanner.next(from)) {
        from = found.add(strtab, k, plan, hit) + 1;
      }
    });
  }
  const results = symbolsOf(symbols, plans, found);
  plans.forEach((plan, k) => {
    if (plan === null) results[k] = Array.from({ length: symbols.count }, (_, i) => i);
  });
  return results;
}

/** The names (as string-table ranges) that contain every needle of some plan, by start offset. */
class FoundStrings {
  readonly byStart = new Map<number, { end: number; plans: number[] }>();

  /** Records the name around `hit` for plan `k` if it has all the needles; returns the name's end (its NUL). */
  add(strtab: Buffer, k: number, plan: ScanPlan, hit: number): number {
    const end = strtab.indexOf(0, hit);
    const stringEnd = end < 0 ? strtab.length : end;
    const stringStart = hit === 0 ? 0 : strtab.lastIndexOf(0, hit - 1) + 1;
    if (plan.verify.length === 0 || containsAll(strtab.subarray(stringStart, stringEnd), plan.verify)) {
      const entry = this.byStart.get(stringStart);
      if (entry === undefined) this.byStart.set(stringStart, { end: stringEnd, plans: [k] });
      else if (!entry.plans.includes(k)) entry.plans.push(k);
    }
    return stringEnd;
  }
}

/**
 * Maps the found names back to symbols. A symbol's name may also start inside a found name
 * (linkers share tails: `bar` may point into `foobar`); such a name must hold the needles itself.
 */
function symbolsOf(symbols: FunctionSymbols, plans: (ScanPlan | null)[], found: FoundStrings): number[][] {
  const results: number[][] = plans.map(() => []);
  const strtab = symbols.strtab;
  const off = symbols.nameOffset;
  const tailHas = (at: number, end: number, plan: ScanPlan) => {
    const tail = strtab.subarray(at, end);
    return tail.indexOf(plan.scan) >= 0 && containsAll(tail, plan.verify);
  };
  if (symbols.namesInOrder()) {
    // A table in name order: look each found name up by binary search, no pass over the symbols.
    const interior = symbols.interiorNameOffsets();
    const starts = [...found.byStart.keys()].sort((a, b) => a - b);
    for (const start of starts) {
      const { end, plans: ks } = found.byStart.get(start)!;
      symbols.forEachAt(start, (i) => ks.forEach((k) => results[k]!.push(i)));
      for (let j = lowerBound(interior, start + 1); j < interior.length && interior[j]! < end; j++) {
        const at = interior[j]!;
        ks.forEach((k) => {
          if (tailHas(at, end, plans[k]!)) symbols.forEachAt(at, (i) => results[k]!.push(i));
        });
      }
    }
    return results;
  }
  // Otherwise one pass over the symbols, testing each name offset against the found starts.
  const starts = Float64Array.from(found.byStart.keys()).sort();
  const ends = Float64Array.from(starts, (start) => found.byStart.get(start)!.end);
  const marks = new FoundMarks(strtab.length, starts, ends);
  const hits = probeNameStarts(off, symbols.count, strtab, marks);
  for (let h = 0; h < hits.length; h++) {
    const i = hits[h]!;
    const o = off[i]!;
    const entry = found.byStart.get(o);
    if (entry !== undefined) {
      for (const k of entry.plans) results[k]!.push(i);
    } else {
      // A tail: the found name that contains `o` is the last start before it, if it ends after it.
      const j = lowerBound(starts, o) - 1;
      if (j < 0 || o >= ends[j]!) continue;
      const outer = found.byStart.get(starts[j]!)!;
      for (const k of outer.plans) if (tailHas(o, outer.end, plans[k]!)) results[k]!.push(i);
    }
  }
  return results;
}

/**
 * Where the found names lie in the string table: one bit per byte for their exact starts, and one
 * byte per 64-byte block that any of them overlaps (where a shared tail may start).
 */
class FoundMarks {
  readonly startBits: Uint8Array;
  readonly blocks: Uint8Array;

  constructor(tableSize: number, starts: Float64Array, ends: Float64Array) {
    this.startBits = new Uint8Array((tableSize >>> 3) + 1);
    this.blocks = new Uint8Array((tableSize >>> BLOCK_SHIFT) + 1);
    for (let j = 0; j < starts.length; j++) {
      const start = starts[j]!;
      this.startBits[start >>> 3]! |= 1 << (start & 7);
      for (let b = start >>> BLOCK_SHIFT; b <= ends[j]! >>> BLOCK_SHIFT; b++) this.blocks[b] = 1;
    }
  }
}
const BLOCK_SHIFT = 6;

/**
 * The symbols worth a closer look, in index order: those whose name starts where a found name
 * starts, and those whose name starts inside a block a found name overlaps without following a NUL
 * (a shared tail). It runs once per resolution over every symbol, before the JIT has warmed up, so
 * it is kept small and typed-array only, and exact on starts so that few false hits follow it.
 */
function probeNameStarts(off: Uint32Array, count: number, strtab: Buffer, marks: FoundMarks): Uint32Array {
  const { startBits, blocks } = marks;
  let hits = new Uint32Array(1024);
  let n = 0;
  for (let i = 0; i < count; i++) {
    const o = off[i]!;
    if (((startBits[o >>> 3]! >>> (o & 7)) & 1) === 1 || (blocks[o >>> BLOCK_SHIFT] === 1 && o > 0 && strtab[o - 1] !== 0)) {
      if (n === hits.length) {
        const grown = new Uint32Array(n * 2);
        grown.set(hits);
        hits = grown;
      }
      hits[n++] = i;
    }
  }
  return hits.subarray(0, n);
}

/** Scan for the needle whose search is cheapest; check the others inside each candidate name. */
function planFor(strtab: Buffer, needles: readonly Buffer[], histogram: ByteHistogram): ScanPlan {
  let scan = needles[0]!;
  let scanCost = Infinity;
  for (const n of needles) {
    const cost = NeedleScanner.cost(strtab, n, histogram);
    if (cost < scanCost) [scan, scanCost] = [n, cost];
  }
  return { scan, verify: needles.filter((n) => n !== scan) };
}

function rarestPlan(needles: readonly Buffer[], histogram: ByteHistogram): ScanPlan {
  let scan = needles[0]!;
  let count = Infinity;
  for (const n of needles) {
    const c = histogram.expectedNeedle(n);
    if (c < count || (c === count && n.length > scan.length)) [scan, count] = [n, c];
  }
  return { scan, verify: needles.filter((n) => n !== scan) };
}

/**
 * One pass for every plan: a regular expression alternating all scan needles, run by V8's
 * compiled matcher over the table as a one-byte string, finds each name that contains any of
 * them (about the cost of one Buffer.indexOf pass instead of one per pattern); each such name is
 * then checked against every plan. The search resumes after the name, so a needle hidden behind
 * another's match in the same name is still seen by the per-name check.
 */
function sharedScan(symbols: FunctionSymbols, plans: (ScanPlan | null)[], found: FoundStrings): void {
  const strtab = symbols.strtab;
  const text = latin1Of(symbols);
  const alternatives = [...new Set(plans.filter((p) => p !== null).map((p) => p.scan.toString("latin1")))];
  const re = new RegExp(alternatives.map(escapeBytes).join("|"), "g");
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const hit = m.index;
    const end = strtab.indexOf(0, hit);
    const stringEnd = end < 0 ? strtab.length : end;
    const stringStart = hit === 0 ? 0 : strtab.lastIndexOf(0, hit - 1) + 1;
    const name = strtab.subarray(stringStart, stringEnd);
    plans.forEach((plan, k) => {
      if (plan === null) return;
      const first = name.indexOf(plan.scan);
      if (first >= 0) found.add(strtab, k, plan, stringStart + first);
    });
    re.lastIndex = stringEnd + 1;
  }
}

const latin1Cache = new WeakMap<FunctionSymbols, string>();
function latin1Of(symbols: FunctionSymbols): string {
  let s = latin1Cache.get(symbols);
  if (s === undefined) {
    s = symbols.strtab.toString("latin1");
    latin1Cache.set(symbols, s);
  }
  return s;
}

/** A needle's bytes as a regular expression over a latin1 string: letters and digits as is, the rest escaped. */
function escapeBytes(s: string): string {
  return s.replace(/[^A-Za-z0-9_]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

function containsAll(name: Buffer, needles: readonly Buffer[]): boolean {
  for (const n of needles) if (name.indexOf(n) < 0) return false;
  return true;
}

/** First index in sorted `values` whose value is at least `value`. */
function lowerBound(values: Uint32Array | Float64Array, value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
