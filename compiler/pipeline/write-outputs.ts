// Writes the script and its manifest so that neither is ever seen half-written: each goes to a
// temporary file in the target folder first and is renamed into place only when both are complete.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { outputWriteFailed, type ProbeDiagnostic } from "../diagnostics/index.js";

export interface OutputFile {
  path: string;
  content: string;
}

export function writeAtomically(files: OutputFile[]): ProbeDiagnostic | null {
  const staged: { tmp: string; path: string }[] = [];
  const suffix = `.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    for (const f of files) {
      const tmp = `${f.path}${suffix}`;
      staged.push({ tmp, path: f.path });
      writeFileSync(tmp, f.content, { flag: "wx" });
    }
  } catch (err) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    const failed = staged[staged.length - 1]?.path ?? files[0].path;
    return outputWriteFailed(failed, (err as Error).message.replace(/^[A-Z]+: /, ""));
  }
  for (const s of staged) {
    try {
      renameSync(s.tmp, s.path);
    } catch (err) {
      for (const rest of staged) rmSync(rest.tmp, { force: true });
      return outputWriteFailed(s.path, (err as Error).message.replace(/^[A-Z]+: /, ""));
    }
  }
  return null;
}
