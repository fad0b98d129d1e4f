import { describe, expect, it } from "vitest";
import { ChromeTraceFormat } from "../../../runtime/output/chrome-trace.js";
import { FoldedFormat } from "../../../runtime/output/folded.js";
import { JsonlFormat } from "../../../runtime/output/jsonl.js";
import { TextFormat } from "../../../runtime/output/text.js";
import type { OutputFormat } from "../../../runtime/output/format.js";
import type { ProbeEvent, RuntimeItem, RunSummary, StackFrame } from "../../../runtime/types.js";
import { events as eventDecls } from "./manifest-samples.js";

const frame = (symbol: string | null, address: string | null = null): StackFrame => ({ symbol, offset: symbol ? 4 : null, address, module: null });
const stackA = [frame("leaf"), frame("mid;dle"), frame("root")];

function ev(event: string, ts: number, tid: number, fields: ProbeEvent["fields"]): RuntimeItem {
  return { kind: "event", event: { event, ts, pid: 100, tid, comm: "envoy", fields } };
}

const summary = (over: Partial<RunSummary> = {}): RunSummary => ({
  events: { accepted: 1 },
  totalEvents: 1,
  lost: 2,
  malformed: 1,
  malformedSamples: [{ line: 7, reason: "unknown event tag 99", excerpt: "{}" }],
  printfLines: 0,
  foreignLines: 0,
  attachedProbes: 3,
  maps: [],
  backlogHighWater: 10,
  exit: { code: 0, signal: null },
  durationMs: 1500,
  ...over,
});

function render(format: OutputFormat, items: RuntimeItem[], s: RunSummary | null = summary()): string {
  return format.begin() + items.map((i) => format.item(i)).join("") + format.end(s);
}

describe("chrome-trace", () => {
  const items: RuntimeItem[] = [
    ev("accepted", 1_000_000, 101, { fd: 5, port: 443 }),
    ev("wake", 2_000_000, 101, { stack: stackA }),
    ev("wake", 2_500_000, 101, { stack: stackA }), // nested begin of the same span
    ev("wakeEnd", 3_000_000, 101, { n: 1 }),
    ev("wakeEnd", 4_000_000, 101, { n: 2 }),
    ev("wakeEnd", 5_000_000, 102, { n: 3 }), // end without begin on another thread
    ev("wake", 6_000_000, 102, { stack: stackA }), // never ends
    { kind: "printf", text: "ignored\n" },
  ];
  const trace = JSON.parse(render(new ChromeTraceFormat(eventDecls), items)) as { traceEvents: Record<string, unknown>[]; otherData: Record<string, unknown> };

  it("is a Trace Event Format object that reads back", () => {
    expect(trace.otherData).toMatchObject({ producer: "probec run", lost: 2, malformed: 1 });
    for (const e of trace.traceEvents) {
      expect(["M", "i", "X"]).toContain(e.ph);
      expect(Number.isInteger(e.pid) && Number.isInteger(e.tid)).toBe(true);
    }
  });

  it("names each process and thread once", () => {
    const meta = trace.traceEvents.filter((e) => e.ph === "M");
    expect(meta).toEqual([
      { ph: "M", name: "process_name", pid: 100, tid: 100, args: { name: "envoy (100)" } },
      { ph: "M", name: "thread_name", pid: 100, tid: 101, args: { name: "envoy 101" } },
      { ph: "M", name: "thread_name", pid: 100, tid: 102, args: { name: "envoy 102" } },
    ]);
  });

  it("gives instants in microseconds with their fields as args", () => {
    expect(trace.traceEvents.find((e) => e.name === "accepted")).toEqual({
      name: "accepted", cat: "probec", ph: "i", s: "t", ts: 1000, pid: 100, tid: 101, args: { fd: 5, port: 443 },
    });
  });

  it("pairs begin/end per thread into nested complete slices; reports the unpaired", () => {
    const slices = trace.traceEvents.filter((e) => e.ph === "X").map((e) => [e.name, e.tid, e.ts, e.dur]);
    expect(slices).toEqual([
      ["wake", 101, 2500, 500], // the inner begin closes first
      ["wake", 101, 2000, 2000],
      ["wake (unfinished)", 102, 6000, 0],
    ]);
    expect(trace.traceEvents.find((e) => e.name === "wake (end without begin)")).toMatchObject({ ph: "i", tid: 102, ts: 5000 });
    const inner = trace.traceEvents.find((e) => e.ph === "X" && e.ts === 2500)!;
    expect(inner.args).toEqual({ wake: { stack: [{ symbol: "leaf", offset: 4 }, { symbol: "mid;dle", offset: 4 }, { symbol: "root", offset: 4 }] }, wakeEnd: { n: 1 } });
  });

  it("still closes the JSON when the run failed before any event", () => {
    const f = new ChromeTraceFormat(eventDecls);
    expect(JSON.parse(f.begin() + f.end(null))).toEqual({ traceEvents: [], displayTimeUnit: "ms", otherData: { producer: "probec run" } });
  });
});

describe("folded", () => {
  it("folds event stacks root-first with counts, and stack-keyed maps with their values", () => {
    const out = render(
      new FoldedFormat(),
      [ev("wake", 1, 1, { stack: stackA }), ev("wake", 2, 1, { stack: stackA }), ev("wake", 3, 1, { stack: [frame(null, "0xdead"), frame("root")] }), ev("accepted", 4, 1, { fd: 1, port: 2 })],
      summary({
        maps: [
          { name: "st", kind: "map", entries: [{ key: [[frame("leaf"), frame("root")]], rawKey: "", value: 5 }] },
          { name: "byConn", kind: "map", entries: [{ key: [1, "x"], rawKey: "1,x", value: 2 }] },
        ],
      }),
    );
    expect(out).toBe(["@st;root;leaf 5", "wake;root;0xdead 1", "wake;root;mid:dle;leaf 2", ""].join("\n"));
  });
});

describe("jsonl", () => {
  it("writes one object per line, byte-exact strings, maps and the summary at the end", () => {
    const out = render(
      new JsonlFormat(),
      [
        { kind: "attached", probes: 2 },
        ev("sni", 5, 1, { name: { text: 'q"\\\u0001é', length: 300, truncated: true }, conn: 9 }),
        { kind: "lost", count: 4 },
        { kind: "malformed", malformed: { line: 3, reason: "not valid JSON", excerpt: "{x" } },
      ],
      summary({ maps: [{ name: "total", kind: "map", entries: [{ key: null, rawKey: null, value: -3 }] }] }),
    );
    const lines = out.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ type: "attached", probes: 2 });
    expect(lines[1]).toEqual({ type: "event", event: "sni", ts: 5, pid: 100, tid: 1, comm: "envoy", fields: { name: { text: 'q"\\\u0001é', length: 300, truncated: true }, conn: 9 } });
    expect(lines[2]).toEqual({ type: "lost", count: 4 });
    expect(lines[3]).toEqual({ type: "malformed", line: 3, reason: "not valid JSON", excerpt: "{x" });
    expect(lines[4]).toEqual({ type: "map", name: "total", kind: "map", entries: [{ key: null, rawKey: null, value: -3 }] });
    expect(lines[5]).toMatchObject({ type: "summary", lost: 2, malformed: 1, attachedProbes: 3 });
    expect(lines[5].maps).toBeUndefined();
  });
});

describe("text", () => {
  it("prints one line per event relative to the first, stacks indented, and a summary with maps", () => {
    const out = render(
      new TextFormat(),
      [
        ev("accepted", 1_000_000_000, 1, { fd: 5, port: 443 }),
        ev("sni", 1_250_000_000, 1, { name: { text: "ab", length: 300, truncated: true }, conn: 9 }),
        { ...(ev("label", 1_500_000_000, 1, { text: "a\ufffdb" }) as { kind: "event"; event: ProbeEvent }), event: { ...(ev("label", 1_500_000_000, 1, { text: "a\ufffdb" }) as { kind: "event"; event: ProbeEvent }).event, invalidUtf8: { text: "618062" } } },
        ev("wake", 2_000_000_000, 1, { stack: [frame("leaf"), { symbol: null, offset: null, address: "0x1", module: "/bin/x" }] }),
        { kind: "lost", count: 3 },
      ],
      summary({
        maps: [
          { name: "lat", kind: "hist", entries: [{ key: ["k"], rawKey: "k", value: [{ min: 0, max: 1, count: 2 }, { min: 2, max: 3, count: 1 }] }] },
          { name: "two", kind: "map", entries: [{ key: ["a", "b,c"], rawKey: "a,b,c", value: 1, ambiguousKey: true }] },
        ],
      }),
    );
    expect(out).toBe(
      [
        '+0.000000 accepted pid=100 tid=1 comm="envoy" fd=5 port=443',
        '+0.250000 sni pid=100 tid=1 comm="envoy" name="ab" (truncated: 2 of 300 bytes) conn=9',
        '+0.500000 label pid=100 tid=1 comm="envoy" text="a\ufffdb" [bytes 618062]',
        '+1.000000 wake pid=100 tid=1 comm="envoy"',
        "    stack:",
        "      leaf+4",
        "      0x1 (/bin/x)",
        "# lost 3 events (bpftrace could not keep up)",
        "--- summary (1.5 s) ---",
        "events: 1 (accepted 1)",
        "lost: 2   malformed: 1   printf lines: 0",
        "  malformed line 7: unknown event tag 99",
        "@lat",
        '  ["k"]',
        `    [0, 1]        2 |${"@".repeat(40)}|`,
        `    [2, 3]        1 |${"@".repeat(20).padEnd(40)}|`,
        "@two",
        '  ["a", "b,c"]: 1 (key split ambiguous; raw "a,b,c")',
        "",
      ].join("\n"),
    );
  });
});
