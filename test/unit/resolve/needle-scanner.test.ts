// The byte-pivot scanner finds exactly what Buffer.indexOf finds, whichever strategy it picks.
import { describe, expect, it } from "vitest";
import { ByteHistogram, NeedleScanner } from "../../../compiler/symbols/resolve/needle-scanner.js";

function all(find: (from: number) => number): number[] {
  const out: number[] = [];
  for (let at = find(0); at >= 0; at = find(at + 1)) out.push(at);
  return out;
}

describe("NeedleScanner", () => {
  it("agrees with indexOf on random tables and needles", () => {
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 0x1_0000_0000);
    for (let round = 0; round < 60; round++) {
      const alphabet = round % 2 === 0 ? "abc" : "abcdefghijklmnopqrstuvwxyzQ0123456789_";
      const table = Buffer.from(Array.from({ length: 20_000 + Math.floor(rand() * 50_000) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(""));
      const start = Math.floor(rand() * (table.length - 10));
      const needle = Buffer.from(table.subarray(start, start + 1 + Math.floor(rand() * 6)));
      const scanner = new NeedleScanner(table, needle, new ByteHistogram(table));
      expect(all((f) => scanner.next(f))).toEqual(all((f) => table.indexOf(needle, f)));
    }
  });

  it("uses memchr on a rare byte and still finds needles at the table's edges", () => {
    const table = Buffer.from(`Qxyz${"abcdefgh".repeat(5000)}Qxyz${"abcdefgh".repeat(5000)}Qxy`);
    const scanner = new NeedleScanner(table, Buffer.from("Qxyz"), new ByteHistogram(table));
    expect(all((f) => scanner.next(f))).toEqual([0, 40_004]);
    expect(NeedleScanner.cost(table, Buffer.from("Qxyz"), new ByteHistogram(table))).toBeLessThan(NeedleScanner.cost(table, Buffer.from("abcd"), new ByteHistogram(table)));
  });
});
