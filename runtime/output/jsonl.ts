// jsonl: one JSON object per line, `type` first. Events carry their decoded fields byte-exact
// (strings as JSON text; `bytesHex` where the bytes were not UTF-8); maps and the summary at the end.
import type { RunError } from "../run-error.js";
import type { RuntimeItem, RunSummary } from "../types.js";
import type { OutputFormat } from "./format.js";
import { jsonFields, jsonValue } from "./json-values.js";

export class JsonlFormat implements OutputFormat {
  begin(): string {
    return "";
  }

  item(item: RuntimeItem): string {
    switch (item.kind) {
      case "event": {
        const e = item.event;
        const line: Record<string, unknown> = { type: "event", event: e.event, ts: e.ts, pid: e.pid, tid: e.tid, comm: e.comm, fields: jsonFields(e.fields) };
        if (e.invalidUtf8) line.invalidUtf8 = e.invalidUtf8;
        return JSON.stringify(line) + "\n";
      }
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
