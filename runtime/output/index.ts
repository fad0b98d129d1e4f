// Picks an output format by name.
import type { Manifest } from "../../compiler/ir/manifest.js";
import { ChromeTraceFormat } from "./chrome-trace.js";
import { FoldedFormat } from "./folded.js";
import type { FormatName, OutputFormat } from "./format.js";
import { JsonlFormat } from "./jsonl.js";
import { TextFormat } from "./text.js";

export { FORMAT_NAMES, type FormatName, type OutputFormat } from "./format.js";

export function createFormat(name: FormatName, manifest: Pick<Manifest, "events">): OutputFormat {
  switch (name) {
    case "text":
      return new TextFormat();
    case "jsonl":
      return new JsonlFormat();
    case "chrome-trace":
      return new ChromeTraceFormat(manifest.events);
    case "folded":
      return new FoldedFormat();
  }
}
