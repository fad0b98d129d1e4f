// A pattern that resolves to nothing, or to more probes than bpftrace will attach.

export type ResolveErrorCode = "SYM_NO_MATCH" | "SYM_TOO_MANY";

export class ResolveError extends Error {
  override readonly name = "ResolveError";
  constructor(
    readonly code: ResolveErrorCode,
    message: string,
    readonly pattern: string,
    readonly binaryPath: string,
    /** For SYM_NO_MATCH: the nearest symbols (demangled), best first. */
    readonly candidates: string[] = [],
    /** For SYM_TOO_MANY: how many distinct entry addresses matched. */
    readonly count = 0,
  ) {
    super(message);
  }
}

export function noMatchError(pattern: string, binaryPath: string, candidates: string[], stripped = false): ResolveError {
  const near = candidates.length > 0 ? `; nearest: ${candidates.map((c) => `'${c}'`).join(", ")}` : "";
  const hint = stripped ? " (the binary is stripped: only functions exported in .dynsym are visible)" : "";
  return new ResolveError("SYM_NO_MATCH", `no function in ${binaryPath} matches '${pattern}'${near}${hint}`, pattern, binaryPath, candidates);
}

export function tooManyError(pattern: string, binaryPath: string, count: number, limit: number): ResolveError {
  return new ResolveError(
    "SYM_TOO_MANY",
    `'${pattern}' matches ${count} functions in ${binaryPath}, more than the limit of ${limit} probes` +
      ` (bpftrace 0.17 refuses more than 512); narrow it with more name components, a parameter list, or fewer '*'`,
    pattern,
    binaryPath,
    [],
    count,
  );
}
