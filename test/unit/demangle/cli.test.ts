// `probec demangle` as a whole process (the built CLI), compared with GNU c++filt: names as
// arguments, text on stdin (mangled words inside lines, versioned names, prefixes, invalid names),
// `--json`, and usage errors.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fileExists, haveTool, missingInput, repoRoot } from "./support.js";

const cli = path.join(repoRoot, "dist/compiler/cli/main.js");
const skip = missingInput("the built CLI (npm run build) and c++filt", fileExists(cli) && haveTool("c++filt"));

function run(cmd: string, args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { input, encoding: "utf8", maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const probec = (args: string[], input?: string) => run(process.execPath, [cli, "demangle", ...args], input);

const NAMES = [
  "_ZN5Envoy7Network15TcpListenerImpl13onSocketEventEs",
  "_ZNKSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE4findEPKcmm",
  "_Z1fv.isra.0",
  "_ZTV1A",
  "not_mangled",
  "_ZN1A", // invalid: printed unchanged
  "_GLOBAL__I_a",
  ".L_Z1fv",
  "$_Z1fv",
  "._Z1fv",
];

describe.skipIf(skip !== null)(`probec demangle CLI${skip ? ` — skipped: ${skip}` : ""}`, () => {
  it("prints the same as c++filt for names given as arguments", () => {
    const ours = probec(NAMES);
    const theirs = run("c++filt", NAMES);
    expect(ours.status).toBe(0);
    expect(ours.stdout).toBe(theirs.stdout);
  });

  it("filters stdin like c++filt: mangled words inside lines, the rest untouched", () => {
    const text = [
      "#0 0x55d1 in _ZN5Envoy7Network15TcpListenerImpl13onSocketEventEs (envoy+0x1234)",
      "call _Z1fv@PLT and _ZNKSt5ctypeIcE13_M_widen_initEv@@GLIBCXX_3.4.11 then _ZN1A,",
      "\tweird: $_Z1fv ._Z1fv _Z1fv.cold.1 (_ZTI1A) [_ZN1AC2Ev]",
      "utf-8 ünïcödé _Z1fPKc ✓",
      "",
      "no trailing newline _ZN1A1fEv",
    ].join("\n");
    const ours = probec([], text);
    const theirs = run("c++filt", [], text);
    expect(ours.status).toBe(0);
    expect(ours.stdout).toBe(theirs.stdout);
  });

  it("handles bytes like c++filt: NUL ends a word, over-long words are cut, non-UTF-8 passes through", () => {
    const input = Buffer.concat([
      Buffer.from("a\0_Z1fv\0b\nx\n\0y _Z1gv\n", "latin1"),
      Buffer.from("_Z1f" + "i".repeat(40000) + " tail\r\n", "latin1"),
      Buffer.from([0xff, 0xfe, 0x5f, 0x5a, 0x31, 0x66, 0x76, 0x0a]), // \xff\xfe_Z1fv
    ]);
    const ours = spawnSync(process.execPath, [cli, "demangle"], { input, maxBuffer: 1 << 26 });
    const theirs = spawnSync("c++filt", [], { input, maxBuffer: 1 << 26 });
    expect(ours.status).toBe(0);
    expect(Buffer.compare(ours.stdout, theirs.stdout)).toBe(0);
  });

  it("agrees with c++filt on a sample of node's symbols through stdin", () => {
    const nm = spawnSync("nm", ["/usr/bin/node"], { encoding: "utf8", maxBuffer: 1 << 30 });
    if (nm.status !== 0) return;
    const names = nm.stdout.split("\n").map((l) => l.slice(l.lastIndexOf(" ") + 1)).filter((n) => n.startsWith("_Z")).slice(0, 5000);
    const input = names.join("\n") + "\n";
    expect(probec([], input).stdout).toBe(run("c++filt", [], input).stdout);
  });

  it("--json prints one object per name with the AST, or the error with code and offset", () => {
    const r = probec(["--json", "_ZN1A1fEi", "_ZN1A"]);
    expect(r.status).toBe(1); // one name failed
    const [ok, bad] = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(ok.mangled).toBe("_ZN1A1fEi");
    expect(ok.demangled).toBe("A::f(int)");
    expect(ok.ast.kind).toBe("encoding");
    expect(ok.ast.name.kind).toBe("qualified-name");
    expect(ok.ast.type.params[0]).toEqual({ kind: "builtin", name: "int" });
    expect(bad.error).toMatchObject({ code: "UNEXPECTED_END", offset: 5 });
  });

  it("usage errors are one line and exit code 2", () => {
    const r = probec(["--frobnicate"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^probec demangle: /);
  });
});
