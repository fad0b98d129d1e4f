// Mapping string-table hits back to symbols, including names that share a tail (a linker may
// point `bar` into the middle of `foobar`) and several symbols with one name.
import { describe, expect, it } from "vitest";
import { FunctionSymbols } from "../../../compiler/symbols/elf/index.js";
import { prefilterMany, prefilterSymbols } from "../../../compiler/symbols/resolve/prefilter.js";

function table(strtab: string, offsets: number[]): FunctionSymbols {
  const n = offsets.length;
  return new FunctionSymbols(".symtab", Buffer.from(strtab, "latin1"), n, Uint32Array.from(offsets), Uint32Array.from(offsets, (_, i) => i), Buffer.alloc(n * 24), 0, "test");
}

describe("prefilterSymbols", () => {
  // offsets: 1 "_Z3foobar", 4 "foobar", 6 "obar", 11 "bar" (twice), 15 "_Z3bazv", 23 "xbarx"
  const strtab = "\0_Z3foobar\0bar\0_Z3bazv\0xbarx\0";
  const offsets = [1, 4, 6, 11, 15, 11, 23];
  const syms = table(strtab, offsets);
  const names = (needles: string[]) => prefilterSymbols(syms, needles.map((n) => Buffer.from(n))).map((i) => `${i}:${syms.name(i)}`).sort();

  it("finds every symbol whose name contains the needle, tails and duplicates included", () => {
    expect(names(["bar"])).toEqual(["0:_Z3foobar", "1:foobar", "2:obar", "3:bar", "5:bar", "6:xbarx"]);
    expect(names(["foo"])).toEqual(["0:_Z3foobar", "1:foobar"]);
  });

  it("requires every needle within each symbol's own name", () => {
    expect(names(["bar", "_Z"])).toEqual(["0:_Z3foobar"]);
    expect(names(["bar", "ob"])).toEqual(["0:_Z3foobar", "1:foobar", "2:obar"]);
    expect(names(["bar", "fo"])).toEqual(["0:_Z3foobar", "1:foobar"]);
    expect(names(["nothing"])).toEqual([]);
  });

  it("finds a symbol that starts after the string's first occurrence of the needle", () => {
    const t = table("\0zbarqbar\0", [1, 6]);
    expect(prefilterSymbols(t, [Buffer.from("bar")])).toEqual([0, 1]);
    expect(prefilterSymbols(t, [Buffer.from("bar"), Buffer.from("q")])).toEqual([0]);
  });

  it("gives the same answers through the shared pass of a large table", () => {
    // Over 4 MB, four or more needle sets are scanned together.
    const filler = Array.from({ length: 150_000 }, (_, i) => `_ZN5Envoy7Network${i}Filler${i % 97}Ev`).join("\0");
    const strtab = `\0${filler}\0_ZN5Envoy7Network15TcpListenerImpl13onSocketEventEs\0_ZN5Envoy6Server15TcpListenerImpl4stopEv\0`;
    const offsets: number[] = [];
    for (let at = 1; at < strtab.length; at = strtab.indexOf("\0", at) + 1) offsets.push(at);
    const big = table(strtab, offsets);
    expect(big.strtab.length).toBeGreaterThan(4 << 20);
    const sets = [["15TcpListenerImpl", "7Network"], ["15TcpListenerImpl"], ["Filler96"], ["9Filler1"]].map((s) => s.map((n) => Buffer.from(n)));
    const shared = prefilterMany(big, sets);
    const alone = sets.map((s) => prefilterSymbols(big, s));
    expect(shared).toEqual(alone);
    expect(shared[0]!.map((i) => big.name(i))).toEqual(["_ZN5Envoy7Network15TcpListenerImpl13onSocketEventEs"]);
    expect(shared[1]).toHaveLength(2);
  });

  it("returns every symbol when there are no needles", () => {
    expect(prefilterSymbols(syms, [])).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
