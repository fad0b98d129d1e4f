// The probec entry point as a user meets it: version, help, and one-line usage errors (exit 2).
import { spawnSync } from "node:child_process";
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
