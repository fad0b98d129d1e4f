// An output format turns runtime items into text. Formats are pure (they return strings, the caller
// writes them with back-pressure), so each one is tested on its own.
import type { RunError } from "../run-error.js";
import type { RuntimeItem, RunSummary } from "../types.js";

export interface OutputFormat {
  /** Text to write at the start (may be empty). */
  begin(): string;
  /** Text for one item as it arrives (may be empty). */
  item(item: RuntimeItem): string;
  /** Text at the end: the summary, or what is known when the run failed. */
  end(summary: RunSummary | null, failure?: RunError): string;
}

export const FORMAT_NAMES = ["text", "jsonl", "chrome-trace", "folded"] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];
