// jsonl writes event lines piecewise for speed; the text must be what JSON.stringify gives the
// whole object (the format's contract), hostile strings and invalid UTF-8 included.
import { describe, expect, it } from "vitest";
import { JsonlFormat } from "../../../runtime/output/jsonl.js";
import type { ProbeEvent } from "../../../runtime/types.js";

function reference(e: ProbeEvent): string {
  const line: Record<string, unknown> = { type: "event", event: e.event, ts: e.ts, pid: e.pid, tid: e.tid, comm: e.comm, fields: e.fields };
  if (e.invalidUtf8) line.invalidUtf8 = e.invalidUtf8;
  return JSON.stringify(line) + "\n";
}

describe("jsonl event lines", () => {
  const events: ProbeEvent[] = [
    { event: "accepted", ts: 1280528550862, pid: 7924, tid: 7925, comm: "envoy", fields: { fd: -1, port: 65535 } },
    { event: "sni", ts: 2 ** 63, pid: 0, tid: 0, comm: 'we"ird\\\u0001\u2028', fields: { name: { text: "héllo\n", length: 300, truncated: true } } },
    { event: "label", ts: -0, pid: 1, tid: 2, comm: "", fields: { text: "a\ufffdb" }, invalidUtf8: { text: "61ff62" } },
    { event: "ptr", ts: 1, pid: 1, tid: 1, comm: "c", fields: { p: 18446744073709552000, ok: false, t: [1, "x"] } },
  ];
  it.each(events.map((e) => [e.event, e]))("writes %s exactly as JSON.stringify would", (_n, e) => {
    const f = new JsonlFormat();
    expect(f.item({ kind: "event", event: e })).toBe(reference(e));
    expect(f.item({ kind: "event", event: e })).toBe(reference(e)); // again, from the name/comm cache
  });
});
