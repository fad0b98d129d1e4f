// chrome-trace: the Trace Event Format (JSON object form) that Perfetto UI and chrome://tracing
// open. Process and thread names as metadata (`ph: "M"`), each event an instant on its thread's
// track (`ph: "i"`, `s: "t"`), and events marked as span begin/end in the manifest paired per
// thread into complete slices (`ph: "X"` with `dur`). Timestamps are microseconds (bpftrace nsecs / 1000).
import type { EventDecl } from "../../compiler/ir/program.js";
import type { RunError } from "../run-error.js";
import type { ProbeEvent, RuntimeItem, RunSummary } from "../types.js";
import type { OutputFormat } from "./format.js";
import { jsonFields } from "./json-values.js";

type Span = NonNullable<EventDecl["span"]>;

interface OpenSpan {
  event: ProbeEvent;
}

const CATEGORY = "probec";

export class ChromeTraceFormat implements OutputFormat {
  private readonly spans: Map<string, Span>;
  private readonly open = new Map<string, OpenSpan[]>();
  private readonly namedProcesses = new Set<number>();
  /** Track ids of (recording, pid) pairs when events come from several recordings (pids of different hosts collide). */
  private readonly recordingTracks = new Map<string, number>();
  private readonly namedThreads = new Set<string>();
  private written = 0;
  private lastTs = 0;

  constructor(events: Pick<EventDecl, "name" | "span">[]) {
    this.spans = new Map(events.filter((e) => e.span).map((e) => [e.name, e.span!]));
  }

  begin(): string {
    return '{"traceEvents":[\n';
  }

  private emit(record: Record<string, unknown>): string {
    const text = (this.written === 0 ? "" : ",\n") + JSON.stringify(record);
    this.written++;
    return text;
  }

  /** The process track of an event: its pid, or one track per (recording, pid) in a merged timeline. */
  private track(e: ProbeEvent): number {
    if (e.recording === undefined) return e.pid;
    const key = `${e.recording}\0${e.pid}`;
    let id = this.recordingTracks.get(key);
    if (id === undefined) {
      id = this.recordingTracks.size + 1;
      this.recordingTracks.set(key, id);
    }
    return id;
  }

  private names(e: ProbeEvent, pid: number): string {
    let out = "";
    if (!this.namedProcesses.has(pid)) {
      this.namedProcesses.add(pid);
      const name = e.recording === undefined ? `${e.comm} (${e.pid})` : `${e.recording}: ${e.comm} (${e.pid})`;
      out += this.emit({ ph: "M", name: "process_name", pid, tid: pid, args: { name } });
      if (e.recording !== undefined) out += this.emit({ ph: "M", name: "process_labels", pid, tid: pid, args: { labels: e.recording } });
    }
    const thread = `${pid}:${e.tid}`;
    if (!this.namedThreads.has(thread)) {
      this.namedThreads.add(thread);
      out += this.emit({ ph: "M", name: "thread_name", pid, tid: e.tid, args: { name: `${e.comm} ${e.tid}` } });
    }
    return out;
  }

  private event(e: ProbeEvent): string {
    if (e.ts > this.lastTs) this.lastTs = e.ts;
    const pid = this.track(e);
    let out = this.names(e, pid);
    const span = this.spans.get(e.event);
    const args = jsonFields(e.fields);
    if (!span) return out + this.emit({ name: e.event, cat: CATEGORY, ph: "i", s: "t", ts: e.ts / 1000, pid, tid: e.tid, args });
    const key = `${pid}:${e.tid}:${span.name}`;
    if (span.phase === "begin") {
      const stack = this.open.get(key) ?? [];
      stack.push({ event: e });
      this.open.set(key, stack);
      return out;
    }
    const begun = this.open.get(key)?.pop();
    if (!begun) {
      return out + this.emit({ name: `${span.name} (end without begin)`, cat: CATEGORY, ph: "i", s: "t", ts: e.ts / 1000, pid, tid: e.tid, args });
    }
    const b = begun.event;
    out += this.emit({
      name: span.name,
      cat: CATEGORY,
      ph: "X",
      ts: b.ts / 1000,
      dur: Math.max(0, e.ts - b.ts) / 1000,
      pid,
      tid: e.tid,
      args: { [b.event]: jsonFields(b.fields), [e.event]: args },
    });
    return out;
  }

  item(item: RuntimeItem): string {
    return item.kind === "event" ? this.event(item.event) : "";
  }

  end(summary: RunSummary | null, failure?: RunError): string {
    let out = "";
    // Spans still open when tracing stopped: slices to the last timestamp, marked unfinished.
    for (const stack of this.open.values()) {
      for (const { event: b } of stack) {
        out += this.emit({
          name: `${this.spans.get(b.event)!.name} (unfinished)`,
          cat: CATEGORY,
          ph: "X",
          ts: b.ts / 1000,
          dur: Math.max(0, this.lastTs - b.ts) / 1000,
          pid: this.track(b),
          tid: b.tid,
          args: { [b.event]: jsonFields(b.fields) },
        });
      }
    }
    this.open.clear();
    const otherData: Record<string, unknown> = { producer: "probec run" };
    if (summary) {
      otherData.events = summary.totalEvents;
      otherData.lost = summary.lost;
      otherData.malformed = summary.malformed;
    }
    if (failure) otherData.error = `${failure.codeText}: ${failure.message}`;
    return out + `\n],"displayTimeUnit":"ms","otherData":${JSON.stringify(otherData)}}\n`;
  }
}
