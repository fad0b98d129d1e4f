// The fast path: find the symbols whose mangled bytes contain every needle of a pattern with
// Buffer.indexOf over the whole string table, before anything is demangled or even turned into a
// JavaScript string.
import type { FunctionSymbols } from "../elf/index.js";
import { ByteHistogram, NeedleScanner } from "./needle-scanner.js";

const histograms = new WeakMap<FunctionSymbols, ByteHistogram>();
function histogramOf(symbols: FunctionSymbols): ByteHistogram {
  let h = histograms.get(symbols);
  if (h === undefined) {
    h = new ByteHistogram(symbols.strtab);
    histograms.set(symbols, h);
  }
  return h;
}

/**
 * Indices of the symbols whose names contain all `needles`, in string-table order. With no
 * needles every symbol is a candidate.
 */
export function prefilterSymbols(symbols: FunctionSymbols, needles: readonly Buffer[]): number[] {
  if (needles.length === 0) return Array.from({ length: symbols.count }, (_, i) => i);
  const strtab = symbols.strtab;
  const histogram = histogramOf(symbols);
  // Scan for the needle whose rarest byte is rarest; verify the others per candidate name.
  let scan = needles[0]!;
  let scanCost = Infinity;
  for (const n of needles) {
    const cost = NeedleScanner.cost(strtab, n, histogram);
    if (cost < scanCost) [scan, scanCost] = [n, cost];
  }
  const verify = needles.filter((n) => n !== scan);
  const scanner = new NeedleScanner(strtab, scan, histogram);
  const result: number[] = [];
  let from = 0;
  for (;;) {
    const hit = scanner.next(from);
    if (hit < 0) break;
    const end = strtab.indexOf(0, hit);
    const stringEnd = end < 0 ? strtab.length : end;
    const stringStart = hit === 0 ? 0 : strtab.lastIndexOf(0, hit - 1) + 1;
    if (verify.length === 0 || containsAll(strtab.subarray(stringStart, stringEnd), verify)) {
      // Every symbol whose name starts inside [stringStart, hit] ends at the same NUL, so it
      // contains the hit (linkers share tails of names: `bar` may point into `foobar`).
      for (let at = stringStart; at <= hit; at++) {
        symbols.forEachAt(at, (idx) => {
          if (verify.length === 0 || at === stringStart || containsAll(strtab.subarray(at, stringEnd), verify)) result.push(idx);
        });
      }
    }
    from = stringEnd + 1;
  }
  return result;
}

function containsAll(name: Buffer, needles: readonly Buffer[]): boolean {
  for (const n of needles) if (name.indexOf(n) < 0) return false;
  return true;
}
