// Writes the script and its manifest so that neither is ever seen half-written: each goes to a
// temporary file in the target folder first and is renamed into place only when both are complete.
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { outputWriteFailed, type ProbeDiagnostic } from "../diagnostics/index.js";

export interface OutputFile {
  path: string;
  content: string;
}

/** Why a write failed, in words, without the temporary file's name. */
function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case "ENOENT":
      return "its folder does not exist";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOSPC":
      return "no space left on the device";
    case "EISDIR":
      return "it is a directory";
    case "EROFS":
      return "the file system is read-only";
    default:
      return e.code ?? e.message;
  }
}

export function writeAtomically(files: OutputFile[]): ProbeDiagnostic | null {
  // A target that is a directory would fail its rename after the other file is in place: refuse first.
  for (const f of files) {
    if (existsSync(f.path) && statSync(f.path).isDirectory()) return outputWriteFailed(f.path, "it is a directory");
  }
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
    return outputWriteFailed(failed, reason(err));
  }
  for (const s of staged) {
    try {
      renameSync(s.tmp, s.path);
    } catch (err) {
      for (const rest of staged) rmSync(rest.tmp, { force: true });
      return outputWriteFailed(s.path, reason(err));
    }
  }
  return null;
}
