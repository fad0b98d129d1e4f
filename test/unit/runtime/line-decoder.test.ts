import { describe, expect, it } from "vitest";
import { LineDecoder } from "../../../runtime/decode/line-decoder.js";
import type { RuntimeItem } from "../../../runtime/types.js";
import { manifestPart } from "./manifest-samples.js";

function decodeAll(lines: string[]): RuntimeItem[] {
  const d = new LineDecoder(manifestPart);
  return [...lines.flatMap((l) => d.decode(l)), ...d.finish()];
}

function one(line: string): RuntimeItem {
  const items = decodeAll([line]);
  expect(items).toHaveLength(1);
  return items[0];
}

function eventOf(line: string) {
  const item = one(line);
  if (item.kind !== "event") throw new Error(`expected an event, got ${JSON.stringify(item)}`);
  return item.event;
}

function malformedReason(line: string): string {
  const item = one(line);
  if (item.kind !== "malformed") throw new Error(`expected malformed, got ${JSON.stringify(item)}`);
  return item.malformed.reason;
}

describe("events", () => {
  it("decodes a head line into a typed record", () => {
    const e = eventOf('{"type": "value", "data": [1,1280528550862,7924,7925,"fx",5,443]}');
    expect(e).toEqual({ event: "accepted", ts: 1280528550862, pid: 7924, tid: 7925, comm: "fx", fields: { fd: 5, port: 443 } });
  });

  it("undoes bpftrace 0.17's \\uffffffXX escaping byte-exact (recorded line)", () => {
    // Recorded from bpftrace 0.17 on this machine: the bytes "sni.é\xff\x01\"\\,x" (12 bytes).
    const line = String.raw`{"type": "value", "data": [2,1285484869991,7949,7949,"fx","sni.\uffffffc3\uffffffa9\uffffffff\u0001\"\\,x",12,7]}`;
    // What JSON.parse alone makes of it: U+FFFF followed by the text "ffc3" — silently wrong.
    expect((JSON.parse(line) as { data: string[] }).data[5].startsWith("sni.\uffffffc3")).toBe(true);
    const e = eventOf(line);
    const name = e.fields.name as { text: string; length: number; truncated: boolean; bytesHex?: string };
    expect(name.bytesHex).toBe(Buffer.from('sni.\u00e9', "utf8").toString("hex") + "ff" + "01" + Buffer.from('"\\,x').toString("hex"));
    expect(name.text).toBe('sni.é\ufffd\u0001"\\,x');
    expect(name.length).toBe(12);
    expect(name.truncated).toBe(false);
  });

  it("decodes valid multi-byte UTF-8 from 0.17 escapes without a hex sidecar", () => {
    const e = eventOf(String.raw`{"type": "value", "data": [2,1,2,3,"c","\uffffffe4\uffffffb8\uffffffad\uffffffe6\uffffff96\uffffff87.example",14,0]}`);
    expect(e.fields.name).toEqual({ text: "中文.example", length: 14, truncated: false });
  });

  it("keeps literal backslash-u text that only looks like the 0.17 escape", () => {
    // The traced string is the 10 characters \uffffffc3 (an escaped backslash, then text).
    const e = eventOf(String.raw`{"type": "value", "data": [3,1,2,3,"c","\\uffffffc3 and \uffffffc3\uffffffa9"]}`);
    expect(e.fields.text).toBe("\\uffffffc3 and é");
  });

  it("accepts writers that print bytes as \\u00XX and writers that print raw UTF-8", () => {
    expect(eventOf(String.raw`{"type": "value", "data": [3,1,2,3,"c","caf\u00c3\u00a9"]}`).fields.text).toBe("café");
    expect(eventOf('{"type": "value", "data": [3,1,2,3,"c","café ☕"]}').fields.text).toBe("café ☕");
  });

  it("flags a plain string with invalid UTF-8 and keeps its exact bytes", () => {
    const e = eventOf(String.raw`{"type": "value", "data": [3,1,2,3,"c","a\uffffff80b"]}`);
    expect(e.fields.text).toBe("a\ufffdb");
    expect(e.invalidUtf8).toEqual({ text: "618062" });
  });

  it("flags a sized string whose text is shorter than its true length as truncated", () => {
    const long = "x".repeat(63);
    const e = eventOf(`{"type": "value", "data": [2,1,2,3,"c","${long}",250,9]}`);
    expect(e.fields.name).toEqual({ text: long, length: 250, truncated: true });
  });

  it("keeps quotes, backslashes and control bytes exact", () => {
    const e = eventOf(String.raw`{"type": "value", "data": [3,1,2,3,"c","q\"b\\s\t\n\u0001\u001f"]}`);
    expect(e.fields.text).toBe('q"b\\s\t\n\u0001\u001f');
  });

  it("decodes stacks into frames (default and perf modes, recorded)", () => {
    const e = eventOf(
      String.raw`{"type": "value", "data": [4,1,2,3,"c","\n        ns::K::hit(char const*, unsigned long)+0\n        __libc_start_call_main+122\n        0x7fff0592fd28\n"]}`,
    );
    expect(e.fields.stack).toEqual([
      { symbol: "ns::K::hit(char const*, unsigned long)", offset: 0, address: null, module: null },
      { symbol: "__libc_start_call_main", offset: 122, address: null, module: null },
      { symbol: null, offset: null, address: "0x7fff0592fd28", module: null },
    ]);
    const perf = eventOf(
      String.raw`{"type": "value", "data": [4,1,2,3,"c","\n\t562dfbdd015a ns::K::hit(char const*, unsigned long)+0 (/tmp/rt/fx)\n\t7f89b196e24a [unknown] (/usr/lib/x86_64-linux-gnu/libc.so.6)\n"]}`,
    );
    expect(perf.fields.stack).toEqual([
      { symbol: "ns::K::hit(char const*, unsigned long)", offset: 0, address: "0x562dfbdd015a", module: "/tmp/rt/fx" },
      { symbol: null, offset: null, address: "0x7f89b196e24a", module: "/usr/lib/x86_64-linux-gnu/libc.so.6" },
    ]);
  });

  it("demangles frames bpftrace left mangled, with the demangler it is given", () => {
    const d = new LineDecoder(manifestPart, { demangle: (m) => (m === "_ZN2ns1K3hitEv" ? "ns::K::hit()" : null) });
    const [item] = d.decode(String.raw`{"type": "value", "data": [4,1,2,3,"c","\n        _ZN2ns1K3hitEv+4\n        _Zbroken+1\n"]}`);
    expect(item.kind === "event" && item.event.fields.stack).toEqual([
      { symbol: "ns::K::hit()", offset: 4, address: null, module: null },
      { symbol: "_Zbroken", offset: 1, address: null, module: null },
    ]);
  });

  it("reads a value whose bits fit the declared width as the declared type (bpftrace mixes up signedness)", () => {
    expect(eventOf('{"type": "value", "data": [1,1,2,3,"c",-1,-1]}').fields.port).toBe(65535);
    expect(eventOf('{"type": "value", "data": [1,1,2,3,"c",4294967295,1]}').fields.fd).toBe(-1);
    expect(malformedReason('{"type": "value", "data": [1,1,2,3,"c",4294967296,1]}')).toMatch(/4294967296 does not fit i32/);
    expect(malformedReason('{"type": "value", "data": [1,1,2,3,"c",1,-32769]}')).toMatch(/-32769 does not fit u16/);
  });

  it("joins continuation lines to their head by tag, tid and nsecs, with other lines in between", () => {
    const items = decodeAll([
      '{"type": "value", "data": [6,100,7,8,"w",3]}',
      '{"type": "value", "data": [6,100,7,9,"w",4]}',
      '{"type": "value", "data": [1,101,7,8,"w",5,80]}',
      '{"type": "value", "data": [-6,100,9,1,"other thread",12]}',
      '{"type": "value", "data": [-6,100,8,1,"abc",3]}',
      '{"type": "value", "data": [-6,100,8,2,"b-text"]}',
    ]);
    expect(items.map((i) => i.kind)).toEqual(["event", "event", "malformed"]);
    const [accepted, split] = items as { kind: "event"; event: { event: string; fields: unknown; tid: number } }[];
    expect(accepted.event.event).toBe("accepted");
    expect(split.event).toMatchObject({ event: "split", tid: 8, fields: { fd: 3, a: { text: "abc", length: 3, truncated: false }, b: "b-text" } });
    // tid 9's event is still waiting for part 2 at the end of the stream: reported, not dropped.
    expect(items[2].kind === "malformed" && items[2].malformed.reason).toMatch(/incomplete: 2 of 3/);
  });

  it("reports a continuation without a head", () => {
    expect(malformedReason('{"type": "value", "data": [-6,100,8,2,"b-text"]}')).toMatch(/has no head line/);
  });
});

describe("malformed lines are counted, never crash, never go to another event", () => {
  it.each([
    ['{"type": "value", "data": [1,1,2,3,"c",5', /partial line/],
    ["{not json at all", /^not valid JSON/],
    ['{"type": "value", "data": [99,1,2,3,"c"]}', /unknown event tag 99/],
    ['{"type": "value", "data": [1,1,2,3,"c",5]}', /expected 7 values, got 6/],
    ['{"type": "value", "data": [1,1,2,3,"c",5,443,1]}', /expected 7 values, got 8/],
    ['{"type": "value", "data": [1,1,2,3,"c","5",443]}', /fd: expected an integer, got a string/],
    ['{"type": "value", "data": [1,1,2,3,"c",5.5,443]}', /fd: expected an integer/],
    ['{"type": "value", "data": [1,1,2,3,"c",5,70000]}', /70000 does not fit u16/],
    ['{"type": "value", "data": [3,1,2,3,"c",7]}', /text: expected a string/],
    ['{"type": "value", "data": [4,1,2,3,"c","not a stack"]}', /not a stack/],
    ['{"type": "value", "data": ["x",1]}', /tag is not an integer/],
    ['{"type": "value", "data": 5}', /not an event tuple/],
    ['{"type": "mystery", "data": 5}', /unknown line type 'mystery'/],
    ['{"type": 5, "data": 1}', /without a bpftrace 'type'/],
    ['{"data": 1}', /without a bpftrace 'type'/],
  ])("%s", (line, reason) => {
    expect(malformedReason(line)).toMatch(reason);
  });

  it("skips blank lines silently and passes the traced command's own output as foreign", () => {
    const items = decodeAll(["", "   ", "hello from the child", 'partial{"type": "lost_events", "data": {"events": 3}}']);
    expect(items).toEqual([
      { kind: "foreign", text: "hello from the child" },
      { kind: "foreign", text: "partial" },
      { kind: "lost", count: 3 },
    ]);
  });

  it("numbers malformed lines by their position in the stream", () => {
    const items = decodeAll(['{"type": "value", "data": [1,1,2,3,"c",5,443]}', "", "{oops"]);
    expect(items[1]).toMatchObject({ kind: "malformed", malformed: { line: 3, excerpt: "{oops" } });
  });
});

describe("other line types (recorded from bpftrace 0.17)", () => {
  it("printf, attached_probes, lost_events", () => {
    expect(one(String.raw`{"type": "printf", "data": "hi \uffffffc3\uffffffa9\n"}`)).toEqual({ kind: "printf", text: "hi é\n" });
    expect(one('{"type": "attached_probes", "data": {"probes": 2}}')).toEqual({ kind: "attached", probes: 2 });
    expect(one('{"type": "lost_events", "data": {"events": 6763}}')).toEqual({ kind: "lost", count: 6763 });
  });

  it("the script's BEGIN marker is the ready item; the same text from a script without one is a printf", () => {
    const marked = new LineDecoder({ ...manifestPart, readyMarker: "__probec_ready__" });
    expect(marked.decode('{"type": "printf", "data": "__probec_ready__\\n"}')).toEqual([{ kind: "ready" }]);
    expect(marked.decode('{"type": "printf", "data": "__probec_ready__ not quite\\n"}')).toEqual([{ kind: "printf", text: "__probec_ready__ not quite\n" }]);
    expect(one('{"type": "printf", "data": "__probec_ready__\\n"}')).toEqual({ kind: "printf", text: "__probec_ready__\n" });
  });

  it("typed tuple keys, with a comma inside the string element", () => {
    const item = one('{"type": "map", "data": {"@byConn": {"1,x,y": 4, "-2,plain": 1}}}');
    expect(item).toEqual({
      kind: "map",
      map: {
        name: "byConn",
        kind: "map",
        entries: [
          { key: [1, "x,y"], rawKey: "1,x,y", value: 4 },
          { key: [-2, "plain"], rawKey: "-2,plain", value: 1 },
        ],
      },
    });
  });

  it("flags keys of two strings that could split more than one way", () => {
    const item = one('{"type": "map", "data": {"@two": {"a,b,c": 1, "d,e": 2}}}');
    if (item.kind !== "map") throw new Error("expected a map");
    expect(item.map.entries[0]).toMatchObject({ key: ["a", "b,c"], ambiguousKey: true });
    expect(item.map.entries[1]).toEqual({ key: ["d", "e"], rawKey: "d,e", value: 2 });
  });

  it("keyed histograms, per-thread maps, scalars, stats, record values", () => {
    const hist = one('{"type": "hist", "data": {"@lat": {"k1": [{"min": 4, "max": 7, "count": 1}], "k2": [{"max": -1, "count": 2}, {"min": 10, "count": 1}]}}}');
    expect(hist).toEqual({
      kind: "map",
      map: {
        name: "lat",
        kind: "hist",
        entries: [
          { key: ["k1"], rawKey: "k1", value: [{ min: 4, max: 7, count: 1 }] },
          { key: ["k2"], rawKey: "k2", value: [{ max: -1, count: 2 }, { min: 10, count: 1 }] },
        ],
      },
    });
    expect(one('{"type": "map", "data": {"@start": {"7949": -1}}}')).toMatchObject({ map: { entries: [{ key: [7949], value: 2 ** 64 - 1 }] } });
    expect(one('{"type": "map", "data": {"@total": -3}}')).toMatchObject({ map: { entries: [{ key: null, value: -3 }] } });
    expect(one('{"type": "stats", "data": {"@s": {"count": 1, "average": 4, "total": 4}}}')).toMatchObject({
      map: { kind: "stats", entries: [{ key: null, value: { count: 1, average: 4, total: 4 } }] },
    });
    expect(one(String.raw`{"type": "map", "data": {"@rec": {"3": [167772161,"h\uffffffc3\uffffffa9"]}}}`)).toMatchObject({
      map: { entries: [{ key: [3], value: { daddr: 167772161, host: "hé" } }] },
    });
  });

  it("stack keys printed at exit as bare addresses", () => {
    const item = one(String.raw`{"type": "map", "data": {"@st": {"\n    0x557eba9b015e\n    0x7f4c09f1324a\n": 3}}}`);
    expect(item).toMatchObject({
      map: {
        entries: [
          {
            key: [[{ symbol: null, address: "0x557eba9b015e" }, { symbol: null, address: "0x7f4c09f1324a" }]],
            value: 3,
          },
        ],
      },
    });
  });

  it("maps the manifest does not declare decode generically", () => {
    expect(one(String.raw`{"type": "map", "data": {"@other": {"1,x": "\uffffffc3\uffffffa9"}}}`)).toEqual({
      kind: "map",
      map: { name: "other", kind: "map", entries: [{ key: ["1,x"], rawKey: "1,x", value: "é" }] },
    });
    expect(one('{"type": "stats", "data": {"@avg": 10}}')).toMatchObject({ map: { name: "avg", kind: "stats", entries: [{ key: null, value: 10 }] } });
  });

  it("a map that does not fit its declaration is malformed", () => {
    expect(malformedReason('{"type": "map", "data": {"@byConn": {"notanint,x": 1}}}')).toMatch(/does not fit its declared types/);
    expect(malformedReason('{"type": "hist", "data": {"@lat": {"k": 5}}}')).toMatch(/expected histogram buckets/);
  });
});
