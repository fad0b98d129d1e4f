// folded: one line per distinct stack, `root;…;leaf count`, as flamegraph.pl, inferno and
// speedscope read. Events count once per stack field (prefixed by the event name); map entries
// keyed by a stack add their integer value (prefixed by `@map`). Written at the end, sorted.
import { frameLabel, type StackFrame } from "../decode/stack.js";
import type { RunError } from "../run-error.js";
import type { FieldValue, RuntimeItem, RunSummary } from "../types.js";
import type { OutputFormat } from "./format.js";

function isFrames(v: unknown): v is StackFrame[] {
  return Array.isArray(v) && v.length > 0 && typeof v[0] === "object" && v[0] !== null && "address" in v[0] && "symbol" in v[0];
}

/** A frame as one folded component: `;` separates frames and newlines end lines, so neither may appear. */
function component(text: string): string {
  return text.replace(/;/g, ":").replace(/[\r\n]+/g, " ").trim() || "[unknown]";
}

export function foldedStack(prefix: string[], frames: StackFrame[]): string {
  // bpftrace prints innermost first; folded stacks go from the root.
  return [...prefix, ...[...frames].reverse().map(frameLabel)].map(component).join(";");
}

export class FoldedFormat implements OutputFormat {
  private readonly counts = new Map<string, number>();

  begin(): string {
    return "";
  }

  private add(stack: string, n: number): void {
    this.counts.set(stack, (this.counts.get(stack) ?? 0) + n);
  }

  item(item: RuntimeItem): string {
    if (item.kind !== "event") return "";
    const e = item.event;
    const stackFields = Object.entries(e.fields).filter((entry): entry is [string, StackFrame[]] => isFrames(entry[1]));
    for (const [name, frames] of stackFields) {
      // In a merged timeline each recording (node, pod) is its own root.
      const root = e.recording !== undefined ? [e.recording, e.event] : [e.event];
      this.add(foldedStack(stackFields.length > 1 ? [...root, name] : root, frames), 1);
    }
    return "";
  }

  end(summary: RunSummary | null, _failure?: RunError): string {
    for (const map of summary?.maps ?? []) {
      for (const entry of map.entries) {
        const frames = entry.key?.find(isFrames);
        if (!frames || typeof entry.value !== "number") continue;
        const others = (entry.key as FieldValue[]).filter((k) => !isFrames(k)).map((k) => String(k));
        this.add(foldedStack([`@${map.name}`, ...others], frames), entry.value);
      }
    }
    const lines = [...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([stack, n]) => `${stack} ${n}`);
    return lines.length > 0 ? lines.join("\n") + "\n" : "";
  }
}
