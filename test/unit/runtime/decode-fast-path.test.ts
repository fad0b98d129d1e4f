// The decoder's fast paths (value-line.ts's scanner, compiled-event.ts's per-event functions) must
// give exactly what the generic path gives. A trailing space makes the scanner decline a line that
// JSON.parse still reads, so each line is decoded both ways and the results compared.
import { describe, expect, it } from "vitest";
import { LineDecoder } from "../../../runtime/decode/line-decoder.js";
import { scanValueLine } from "../../../runtime/decode/value-line.js";
import type { RuntimeItem } from "../../../runtime/types.js";
import { manifestPart } from "./manifest-samples.js";

const V = '{"type": "value", "data": [';

function decodeAll(lines: string[]): RuntimeItem[] {
  const d = new LineDecoder(manifestPart);
  return [...lines.flatMap((l) => d.decode(l)), ...d.finish()];
}

/** Items without the parts that quote the raw line (the slow-path copy has one more space). */
function comparable(items: RuntimeItem[]): unknown[] {
  return items.map((i) => (i.kind === "malformed" ? { kind: "malformed", reason: i.malformed.reason, line: i.malformed.line } : i));
}

function expectSameBothWays(lines: string[]): RuntimeItem[] {
  const fast = decodeAll(lines);
  const slow = decodeAll(lines.map((l) => l + " "));
  expect(comparable(fast)).toEqual(comparable(slow));
  return fast;
}

const hostile = '"we\\"ird\\\\host\\uffffffc3\\uffffffa9\\t\\u0001"';

describe("scanValueLine", () => {
  it("reads integers and strings exactly as JSON.parse does", () => {
    const line = `${V}1,-5,0,-0,18446744073709551615,9007199254740993,"plain",${hostile},"a\\\\",""]}`;
    const out: unknown[] = [];
    const n = scanValueLine(line, out);
    out.length = n;
    expect(out).toEqual(JSON.parse(line).data);
    expect(Object.is(out[3], -0)).toBe(true);
  });

  it.each([
    ["a float", `${V}1,2.5]}`],
    ["an exponent", `${V}1,2e3]}`],
    ["a leading zero", `${V}1,012]}`],
    ["a trailing comma", `${V}1,2,]}`],
    ["an empty array", `${V}]}`],
    ["a nested tuple", `${V}1,[2,3]]}`],
    ["a bool", `${V}1,true]}`],
    ["whitespace between values", `${V}1, 2]}`],
    ["an unterminated string", `${V}1,"abc]}`],
    ["a raw control char in a string", `${V}1,"a\u0001b"]}`],
    ["a bad escape", `${V}1,"a\\qb"]}`],
    ["trailing text", `${V}1,2]}x`],
    ["a partial line", `${V}1,2`],
    ["a lone minus", `${V}-]}`],
    ["another line type", '{"type": "printf", "data": "x"}'],
  ])("declines %s (left to JSON.parse)", (_what, line) => {
    expect(scanValueLine(line, [])).toBe(-1);
  });
});

describe("fast and generic decoding agree", () => {
  it("on good events of every field kind", () => {
    const items = expectSameBothWays([
      `${V}1,1280528550862,7924,7925,"fx",5,443]}`,
      `${V}1,1,2,3,"c",-1,-1]}`,
      `${V}1,1,2,3,"c",4294967295,1]}`,
      `${V}2,5,2,3,"envoy",${hostile},40,18446744073709551615]}`,
      `${V}2,5,2,3,"envoy","\\uffffffff\\uffffffc3",2,7]}`,
      `${V}3,1,2,3,"c","caf\\uffffffc3\\uffffffa9 \\uffffffe2\\uffffff98\\uffffff95"]}`,
      `${V}3,1,2,3,"c","bad \\uffffffff byte"]}`,
      `${V}3,1,2,3,"c\\uffffffc3\\uffffffa9","x"]}`,
      `${V}4,1,2,3,"c","\\n        main+12\\n        0x7f0000001234\\n"]}`,
      `${V}5,1,2,3,"c",7]}`,
      `${V}6,100,7,8,"w",3]}`,
      `${V}-6,100,8,1,"abc",3]}`,
      `${V}-6,100,8,2,"b-text"]}`,
    ]);
    expect(items.filter((i) => i.kind === "event")).toHaveLength(11);
    const bad = items.find((i) => i.kind === "event" && i.event.event === "label" && i.event.invalidUtf8 !== undefined);
    expect(bad?.kind === "event" && bad.event.invalidUtf8).toEqual({ text: "626164" + "20ff20" + "62797465" });
  });

  it("on bad values, reporting the first bad slot the same way", () => {
    const items = expectSameBothWays([
      `${V}1,1,2,3,"c",4294967296,1]}`,
      `${V}1,1,2,3,"c",1,-32769]}`,
      `${V}1,1,2,3,"c","5",443]}`,
      `${V}1,1,-2,3,"c","5",70000]}`,
      `${V}1,1,2,3,7,5,443]}`,
      `${V}2,5,2,3,"envoy","x","2",7]}`,
      `${V}2,5,2,3,"envoy",9,2,7]}`,
      `${V}3,1,2,3,"c",7]}`,
      `${V}4,1,2,3,"c","not a stack"]}`,
      `${V}99,1,2,3,"c"]}`,
      `${V}1,1,2,3,"c",5]}`,
      `${V}1,1,2,3,"c",5,443,1]}`,
      `${V}-6,100,9,1,"other thread",12]}`,
    ]);
    expect(items.every((i) => i.kind === "malformed")).toBe(true);
    expect(items).toHaveLength(13);
  });

  it("never gives a continuation to another event when heads interleave", () => {
    const items = expectSameBothWays([
      `${V}6,100,7,8,"w",3]}`,
      `${V}6,100,7,9,"w",4]}`,
      `${V}-6,100,9,1,"nine",4]}`,
      `${V}-6,100,8,1,"eight",5]}`,
      `${V}-6,100,9,2,"b9"]}`,
      `${V}-6,100,8,2,"b8"]}`,
    ]);
    const byTid = Object.fromEntries(items.map((i) => (i.kind === "event" ? [i.event.tid, i.event.fields] : ["bad", i])));
    expect(byTid[9]).toMatchObject({ fd: 4, a: { text: "nine", length: 4 }, b: "b9" });
    expect(byTid[8]).toMatchObject({ fd: 3, a: { text: "eight", length: 5 }, b: "b8" });
  });
});
