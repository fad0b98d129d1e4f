// The probec entry point as a user meets it: version, help, and one-line usage errors (exit 2).
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = `${root}dist/compiler/cli/main.js`;
const probec = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

describe("probec", () => {
  test("--version prints the package version", () => {
    const r = probec("--version");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(`${root}package.json`, "utf8")).version);
  });

  test("--help lists every command", () => {
    const r = probec("--help");
    expect(r.status).toBe(0);
    for (const c of ["build", "run", "check", "symbols", "demangle"]) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
  });

  test.each([
    [["frobnicate"], /^probec: unknown command 'frobnicate' \(see 'probec --help'\)\n$/],
    [["--bogus"], /^probec: unknown option '--bogus' \(see 'probec --help'\)\n$/],
    [["symbols", "--bogus", "/usr/bin/node"], /^probec symbols: .*--bogus.*\n$/],
    [["demangle", "--bogus"], /^probec demangle: .*--bogus.*\n$/],
  ])("%j is a one-line usage error with exit code 2", (args, message) => {
    const r = probec(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });
});

// symbols and demangle end the process as soon as their output is written (no teardown wait):
// through a pipe, output many times the pipe's buffer must still arrive whole.
describe("probec commands that exit when done", () => {
  const big = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, XDG_CACHE_HOME: "/nonexistent/probec-test" } });

  test("symbols: every function of /usr/bin/node arrives (one line per address), the last line included", () => {
    const r = big("symbols", "--no-cache", "/usr/bin/node");
    expect(r.status).toBe(0);
    let inSymtab = false;
    const addresses = new Set(
      execFileSync("readelf", ["-W", "--syms", "/usr/bin/node"], { encoding: "utf8", maxBuffer: 1 << 30 })
        .split("\n")
        .filter((l) => {
          if (l.startsWith("Symbol table")) inSymtab = l.includes("'.symtab'");
          return inSymtab && / I?FUNC /.test(l) && !/ UND /.test(l);
        })
        .map((l) => l.trim().split(/\s+/)[1]),
    );
    expect(addresses.size).toBeGreaterThan(50_000);
    expect(r.stdout.endsWith("\n")).toBe(true);
    expect(r.stdout.split("\n").length - 1).toBe(addresses.size);
  });

  test("demangle: one line out per line in, for tens of thousands of names", () => {
    const names = Array.from({ length: 40_000 }, (_, i) => `_ZN2ns${String(i).length + 4}name${i}Ev`);
    const r = spawnSync(process.execPath, [cli, "demangle"], { input: `${names.join("\n")}\n`, encoding: "utf8", maxBuffer: 1 << 30 });
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines).toHaveLength(names.length + 1);
    expect(lines[names.length - 1]).toBe(`ns::name${names.length - 1}()`);
  });
});
