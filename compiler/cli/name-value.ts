// `--binary NAME=PATH`, `--param NAME=VALUE`, `--define NAME=VALUE`: one parser for every command,
// so each rejects the same malformed or repeated entries with the same one-line usage error.
import { UsageError } from "./usage-error.js";

export interface NameValueOptions {
  /** Allow the same NAME more than once (`probec check` binds one name to several binaries). */
  repeatable?: boolean;
  /** What VALUE is called in messages: `PATH` for --binary. */
  valueName?: string;
}

/** Parses repeated `NAME=VALUE` flags in order; throws a UsageError naming the command and flag. */
export function parseNameValues(command: string, flag: string, values: readonly string[] | undefined, opts: NameValueOptions = {}): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  const valueName = opts.valueName ?? "VALUE";
  for (const v of values ?? []) {
    const eq = v.indexOf("=");
    // An empty VALUE is a valid string parameter, never a valid path.
    if (eq <= 0 || (valueName === "PATH" && eq === v.length - 1)) throw new UsageError(`probec ${command}: ${flag} expects NAME=${valueName}, got '${v}'`);
    const name = v.slice(0, eq);
    if (!opts.repeatable && seen.has(name)) throw new UsageError(`probec ${command}: ${flag} ${name} is given twice`);
    seen.add(name);
    out.push([name, v.slice(eq + 1)]);
  }
  return out;
}
