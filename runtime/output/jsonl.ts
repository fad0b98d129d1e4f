// jsonl: one JSON object per line, `type` first. Events carry their decoded fields byte-exact
// (strings as JSON text; `bytesHex` where the bytes were not UTF-8); maps and the summary at the end.
import type { RunError } from "../run-error.js";
import type { RuntimeItem, RunSummary } from "../types.js";
import type { OutputFormat } from "./format.js";
import { jsonFields, jsonValue } from "./json-values.js";

/** A number as JSON.stringify writes it (non-finite ones as null). */
function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : "null";
}

const QUOTED_LIMIT = 1024;

export class JsonlFormat implements OutputFormat {
  /** Event names and comms repeat: their JSON text is kept. */
  private readonly quotedCache = new Map<string, string>();

  private quoted(s: string): string {
    let q = this.quotedCache.get(s);
    if (q === undefined) {
      q = JSON.stringify(s);
      if (this.quotedCache.size >= QUOTED_LIMIT) this.quotedCache.clear();
      this.quotedCache.set(s, q);
    }
    return q;
  }

  begin(): string {
    return "";
  }

  item(item: RuntimeItem): string {
    switch (item.kind) {
      case "event": {
        // Written piecewise (the same text JSON.stringify gives the whole object): the hot path under a flood.
        const e = item.event;
        let line = `{"type":"event","event":${this.quoted(e.event)},"ts":${jsonNumber(e.ts)},"pid":${jsonNumber(e.pid)},"tid":${jsonNumber(e.tid)},"comm":${this.quoted(e.comm)},"fields":${JSON.stringify(jsonFields(e.fields))}`;
        if (e.invalidUtf8) line += `,"invalidUtf8":${JSON.stringify(e.invalidUtf8)}`;
        if (e.recording !== undefined) line += `,"recording":${this.quoted(e.recording)}`;
        return line + "}\n";
      }
      case "ready":
        return ""; // consumed by the runtime; never reaches an output
      case "printf":
        return JSON.stringify({ type: "printf", text: item.text }) + "\n";
      case "attached":
        return JSON.stringify({ type: "attached", probes: item.probes }) + "\n";
      case "lost":
        return JSON.stringify({ type: "lost", count: item.count }) + "\n";
      case "malformed":
        return JSON.stringify({ type: "malformed", ...item.malformed }) + "\n";
      case "map":
      case "foreign":
        return ""; // maps come once, symbolised, with the summary
    }
  }

  end(summary: RunSummary | null, failure?: RunError): string {
    const out: string[] = [];
    if (summary) {
      for (const m of summary.maps) {
        out.push(JSON.stringify({ type: "map", name: m.name, kind: m.kind, entries: m.entries.map((e) => ({ ...e, key: jsonValue(e.key), value: jsonValue(e.value) })) }));
      }
      const { maps: _maps, ...rest } = summary;
      out.push(JSON.stringify({ type: "summary", ...rest }));
    }
    if (failure) out.push(JSON.stringify({ type: "error", code: failure.codeText, message: failure.message, details: failure.details }));
    return out.length > 0 ? out.join("\n") + "\n" : "";
  }
}
