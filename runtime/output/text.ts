// text: for people. One line per event (time since the first event, name, pid/tid/comm, fields),
// stacks indented below it, and a summary at the end: counts, lost, malformed, maps, histograms.
import type { StackFrame } from "../decode/stack.js";
import type { RunError } from "../run-error.js";
import type { DecodedMap, FieldValue, HistBucket, MapValue, ProbeEvent, RuntimeItem, RunSummary, SizedStringValue, StatsValue } from "../types.js";
import type { OutputFormat } from "./format.js";

function isFrames(v: unknown): v is StackFrame[] {
  return Array.isArray(v) && v.length > 0 && typeof v[0] === "object" && v[0] !== null && "address" in v[0] && "symbol" in v[0];
}

function isSized(v: unknown): v is SizedStringValue {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "text" in v && "length" in v && "truncated" in v;
}

function frameText(f: StackFrame): string {
  const where = f.symbol === null ? (f.address ?? "[unknown]") : f.offset !== null ? `${f.symbol}+${f.offset}` : f.symbol;
  return f.module !== null ? `${where} (${f.module})` : where;
}

/** A value on one line; strings are JSON-quoted so control bytes and quotes stay visible. */
export function inlineValue(v: FieldValue | MapValue): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (isSized(v)) {
    let s = JSON.stringify(v.text);
    if (v.truncated) s += ` (truncated: ${Buffer.byteLength(v.text)} of ${v.length} bytes)`;
    if (v.bytesHex !== undefined) s += ` [bytes ${v.bytesHex}]`;
    return s;
  }
  if (isFrames(v)) return `<stack of ${v.length}>`;
  if (Array.isArray(v)) return `(${v.map((e) => inlineValue(e as FieldValue)).join(", ")})`;
  if (isStatsValue(v)) return `count ${v.count}, average ${v.average}, total ${v.total}`;
  return `{ ${Object.entries(v).map(([k, e]) => `${k}: ${inlineValue(e as FieldValue)}`).join(", ")} }`;
}

function isStatsValue(v: unknown): v is StatsValue {
  return typeof v === "object" && v !== null && "average" in v && "total" in v && "count" in v;
}

function isBuckets(v: unknown): v is HistBucket[] {
  return Array.isArray(v) && v.length > 0 && typeof v[0] === "object" && v[0] !== null && "count" in v[0] && !("symbol" in v[0]);
}

function histLines(buckets: HistBucket[], indent: string): string[] {
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const label = (b: HistBucket) => (b.min === undefined ? `(..., ${b.max})` : b.max === undefined ? `[${b.min}, ...)` : `[${b.min}, ${b.max}]`);
  const width = Math.max(...buckets.map((b) => label(b).length));
  return buckets.map((b) => `${indent}${label(b).padEnd(width)} ${String(b.count).padStart(8)} |${"@".repeat(Math.round((b.count / max) * 40)).padEnd(40)}|`);
}

export function formatMap(map: DecodedMap): string[] {
  const lines = [`@${map.name}`];
  for (const e of map.entries) {
    const keyFrames = e.key?.find(isFrames);
    const keyText = e.key === null ? "" : e.key.map((k) => (isFrames(k) ? "<stack>" : inlineValue(k))).join(", ");
    const ambiguous = e.ambiguousKey ? " (key split ambiguous; raw " + JSON.stringify(e.rawKey) + ")" : "";
    if (isBuckets(e.value)) {
      lines.push(`  ${e.key === null ? "" : `[${keyText}]`}${ambiguous}`);
      if (keyFrames) lines.push(...keyFrames.map((f) => `      ${frameText(f)}`));
      lines.push(...histLines(e.value, "    "));
    } else {
      lines.push(`  ${e.key === null ? "" : `[${keyText}]: `}${inlineValue(e.value)}${ambiguous}`);
      if (keyFrames) lines.push(...keyFrames.map((f) => `      ${frameText(f)}`));
    }
  }
  return lines;
}

export class TextFormat implements OutputFormat {
  private firstTs: number | null = null;

  begin(): string {
    return "";
  }

  private event(e: ProbeEvent): string {
    this.firstTs ??= e.ts;
    const secs = ((e.ts - this.firstTs) / 1e9).toFixed(6);
    const parts = [`+${secs}`, ...(e.recording !== undefined ? [`[${e.recording}]`] : []), e.event, `pid=${e.pid}`, `tid=${e.tid}`, `comm=${JSON.stringify(e.comm)}`];
    const stacks: string[] = [];
    for (const [name, v] of Object.entries(e.fields)) {
      if (isFrames(v)) {
        stacks.push(`    ${name}:`, ...v.map((f) => `      ${frameText(f)}`));
        continue;
      }
      let text = `${name}=${inlineValue(v)}`;
      if (e.invalidUtf8?.[name] !== undefined) text += ` [bytes ${e.invalidUtf8[name]}]`;
      parts.push(text);
    }
    return [parts.join(" "), ...stacks].join("\n") + "\n";
  }

  item(item: RuntimeItem): string {
    switch (item.kind) {
      case "event":
        return this.event(item.event);
      case "ready":
        return ""; // consumed by the runtime; never reaches an output
      case "printf":
        return item.text.endsWith("\n") ? item.text : item.text + "\n";
      case "attached":
        return `# attached ${item.probes} probe${item.probes === 1 ? "" : "s"}\n`;
      case "lost":
        return `# lost ${item.count} event${item.count === 1 ? "" : "s"} (bpftrace could not keep up)\n`;
      case "malformed":
        return `# malformed line ${item.malformed.line}: ${item.malformed.reason}\n`;
      case "map":
      case "foreign":
        return "";
    }
  }

  end(summary: RunSummary | null, failure?: RunError): string {
    if (!summary) return "";
    const lines = [`--- summary (${(summary.durationMs / 1000).toFixed(1)} s) ---`];
    const counts = Object.entries(summary.events).map(([n, c]) => `${n} ${c}`);
    lines.push(`events: ${summary.totalEvents}${counts.length > 0 ? ` (${counts.join(", ")})` : ""}`);
    lines.push(`lost: ${summary.lost}   malformed: ${summary.malformed}   printf lines: ${summary.printfLines}`);
    for (const m of summary.malformedSamples) lines.push(`  malformed line ${m.line}: ${m.reason}`);
    for (const map of summary.maps) lines.push(...formatMap(map));
    void failure;
    return lines.join("\n") + "\n";
  }
}
