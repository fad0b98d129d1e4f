// Finds the bpftrace executable: an explicit path, else the first `bpftrace` on PATH.
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { RUN_ERRORS, RunError } from "../run-error.js";

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Finds an executable by name on a PATH string, or returns null. */
export function findOnPath(name: string, pathVar: string | undefined = process.env.PATH): string | null {
  for (const dir of (pathVar ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

export function locateBpftrace(explicit: string | undefined, pathVar: string | undefined = process.env.PATH): string {
  if (explicit !== undefined) {
    const path = isAbsolute(explicit) ? explicit : resolve(explicit);
    if (!isExecutableFile(path)) {
      throw new RunError(RUN_ERRORS.bpftraceMissing, `bpftrace not found at '${explicit}' (not an executable file)`);
    }
    return path;
  }
  const found = findOnPath("bpftrace", pathVar);
  if (found === null) {
    throw new RunError(RUN_ERRORS.bpftraceMissing, "bpftrace not found on PATH", [
      "install it (Debian/Ubuntu: apt-get install bpftrace) or pass --bpftrace /path/to/bpftrace",
    ]);
  }
  return found;
}
