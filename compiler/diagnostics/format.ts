// Prints diagnostics the way `tsc --pretty` does: `file:line:col - error PC9101: message`, then the
// source line with a `~~~` underline. Source text is read on demand (or given), so a stage holding
// only a SourceLoc gets the same code frame as the front end.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { codeText, type ProbeDiagnostic } from "./diagnostic.js";

export interface FormatOptions {
  /** ANSI colours, as tsc uses on a terminal. */
  color?: boolean;
  /** Paths are printed relative to this directory (tsc prints them relative to the cwd). */
  cwd?: string;
  /** Source texts by file name; files not given are read from disk. */
  sources?: ReadonlyMap<string, string>;
}

const ansi = { cyan: "\x1b[96m", yellow: "\x1b[93m", red: "\x1b[91m", grey: "\x1b[90m", reverse: "\x1b[7m", reset: "\x1b[0m" };

function paint(on: boolean, colour: string, text: string): string {
  return on ? `${colour}${text}${ansi.reset}` : text;
}

function sourceLines(file: string, opts: FormatOptions, cache: Map<string, string[] | null>): string[] | null {
  if (!cache.has(file)) {
    let text = opts.sources?.get(file);
    if (text === undefined) {
      try {
        text = readFileSync(file, "utf8");
      } catch {
        text = undefined;
      }
    }
    cache.set(file, text === undefined ? null : text.split(/\r?\n/));
  }
  return cache.get(file) ?? null;
}

function codeFrame(d: ProbeDiagnostic, lines: string[], color: boolean): string[] {
  if (!d.loc) return [];
  const text = lines[d.loc.line - 1];
  if (text === undefined) return [];
  const gutter = String(d.loc.line);
  const start = Math.max(0, d.loc.column - 1);
  // An underline never runs past the end of its line (a span over several lines shows its first).
  const width = Math.max(1, Math.min(d.length ?? 1, Math.max(1, text.length - start)));
  const squiggle = paint(color, d.category === "error" ? ansi.red : ansi.cyan, " ".repeat(start) + "~".repeat(width));
  return [
    `${paint(color, ansi.reverse, gutter)} ${text.replace(/\t/g, " ")}`,
    `${paint(color, ansi.reverse, " ".repeat(gutter.length))} ${squiggle}`,
  ];
}

/** One diagnostic as tsc prints it, code frame included; ends without a newline. */
export function formatDiagnostic(d: ProbeDiagnostic, opts: FormatOptions = {}, cache = new Map<string, string[] | null>()): string {
  const color = opts.color ?? false;
  const category = paint(color, d.category === "error" ? ansi.red : ansi.yellow, d.category);
  const code = paint(color, ansi.grey, ` ${codeText(d)}: `);
  const out: string[] = [];
  if (d.loc) {
    const file = opts.cwd ? relative(opts.cwd, d.loc.file) || d.loc.file : d.loc.file;
    const where = `${paint(color, ansi.cyan, file)}:${paint(color, ansi.yellow, String(d.loc.line))}:${paint(color, ansi.yellow, String(d.loc.column))}`;
    out.push(`${where} - ${category}${code}${d.message}`);
    const lines = sourceLines(d.loc.file, opts, cache);
    if (lines) {
      const frame = codeFrame(d, lines, color);
      if (frame.length > 0) out.push("", ...frame);
    }
  } else {
    out.push(`${category}${code}${d.message}`);
  }
  for (const note of d.notes ?? []) out.push(`  ${note}`);
  return out.join("\n");
}

/** All diagnostics, separated by blank lines, with tsc's closing count line when there are errors. */
export function formatDiagnostics(diagnostics: readonly ProbeDiagnostic[], opts: FormatOptions = {}): string {
  if (diagnostics.length === 0) return "";
  const cache = new Map<string, string[] | null>();
  const blocks = diagnostics.map((d) => formatDiagnostic(d, opts, cache) + "\n");
  const errors = diagnostics.filter((d) => d.category === "error").length;
  const tail = errors === 0 ? "" : `\nFound ${errors} error${errors === 1 ? "" : "s"}.\n`;
  return blocks.join("\n") + tail;
}
