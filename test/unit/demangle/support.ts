// Shared helpers for the demangler tests: locating the repo and shared data, collecting `_Z` names
// from binaries with nm, and asking the real c++filt for its output in one batch.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const oraclesDir = path.resolve(repoRoot, "../shared/oracles");
export const envoyCorpusDir = path.resolve(repoRoot, "../shared/envoy-corpus");
export const inCI = process.env.CI === "true";

export function haveTool(tool: string): boolean {
  return spawnSync(tool, ["--version"], { stdio: "ignore" }).status === 0;
}

/** Distinct `_Z` names of a binary's symbol table (`dynamic` for .dynsym), as nm prints them. */
export function mangledNamesOf(binary: string, dynamic: boolean): string[] {
  const out = execFileSync("nm", dynamic ? ["-D", binary] : [binary], { maxBuffer: 1 << 30, encoding: "utf8" });
  const names = new Set<string>();
  for (const line of out.split("\n")) {
    const name = line.slice(line.lastIndexOf(" ") + 1);
    if (name.startsWith("_Z")) names.add(name);
  }
  return [...names].sort();
}

/** What c++filt prints for each line, one batch through stdin. */
export function cxxfilt(lines: readonly string[]): string[] {
  const out = execFileSync("c++filt", { input: lines.join("\n") + "\n", maxBuffer: 1 << 30, encoding: "utf8" });
  return out.split("\n").slice(0, lines.length);
}

/** Rows of a tab-separated oracle file. */
export function readTsv(text: string): string[][] {
  return text
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => l.split("\t"));
}

/**
 * Explains why a data-dependent test cannot run, or returns null when it can. Outside CI a missing
 * input only skips (with the message); under CI=true it is a failure.
 */
export function missingInput(what: string, present: boolean): string | null {
  if (present) return null;
  const message = `${what} is not available on this machine`;
  if (inCI) throw new Error(`${message} (CI=true requires it)`);
  return message;
}

export function fileExists(p: string): boolean {
  return existsSync(p);
}

export interface Agreement {
  total: number;
  same: number;
  rate: number;
  firstDifferences: { mangled: string; expected: string; got: string }[];
}

/** Compares our output with the expected lines and summarizes. */
export function agreement(names: readonly string[], expected: readonly string[], ours: (name: string) => string): Agreement {
  let same = 0;
  const firstDifferences: Agreement["firstDifferences"] = [];
  for (let i = 0; i < names.length; i++) {
    const got = ours(names[i]!);
    if (got === expected[i]) same++;
    else if (firstDifferences.length < 5) firstDifferences.push({ mangled: names[i]!, expected: expected[i]!, got });
  }
  return { total: names.length, same, rate: names.length === 0 ? 1 : same / names.length, firstDifferences };
}

export function report(label: string, a: Agreement): void {
  const pct = (a.rate * 100).toFixed(3);
  const lines = [`[demangle] ${label}: ${a.same}/${a.total} identical to c++filt (${pct} %)`];
  for (const d of a.firstDifferences) lines.push(`  ${d.mangled}\n    c++filt: ${d.expected}\n    probec:  ${d.got}`);
  console.log(lines.join("\n"));
}
