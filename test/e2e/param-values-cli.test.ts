// An integer --param has one rule in `probec build` and `probec run` (the built CLI, the real
// bpftrace): `build --param P=0x10` then `run` prints 16 (it used to fail with PC9656), a value
// that is not an integer is refused by both, each with its code.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { describeE2E } from "./harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CLI = join(root, "dist", "compiler", "cli", "main.js");
const SOURCE = `import { begin, printf, param, exit } from "probec";
const P = param.int("P");
begin(() => {
  printf("P=%d\\n", P);
  exit();
});
`;

function probec(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describeE2E("integer --param values through probec build and probec run", () => {
  it("build --param P=0x10, then run: bpftrace gets 16; run --param P=-0x20 overrides it", () => {
    const dir = mkdtempSync(join(tmpdir(), "probec-param-"));
    writeFileSync(join(dir, "p.probe.ts"), SOURCE);
    const built = probec(dir, "build", "p.probe.ts", "--param", "P=0x10", "-o", "p.bt");
    expect(built.code, built.stderr).toBe(0);
    const ran = probec(dir, "run", "p.bt");
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain("P=16\n");
    const again = probec(dir, "run", "p.bt", "--param", "P=-0x20");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("P=-32\n");
  });

  it("refuses P=0x1g in build (PC9613) and in run (PC9656) alike", () => {
    const dir = mkdtempSync(join(tmpdir(), "probec-param-"));
    writeFileSync(join(dir, "p.probe.ts"), SOURCE);
    const built = probec(dir, "build", "p.probe.ts", "--param", "P=0x1g", "-o", "p.bt");
    expect(built.code).toBe(1);
    expect(built.stdout + built.stderr).toMatch(/PC9613: --param P=0x1g: parameter 'P' is an integer \(decimal or 0x hex/);
    expect(probec(dir, "build", "p.probe.ts", "-o", "p.bt").code).toBe(0);
    const ran = probec(dir, "run", "p.bt", "--param", "P=0x1g");
    expect(ran.code).not.toBe(0);
    expect(ran.stderr).toMatch(/PC9656: parameter 'P' must be an integer \(decimal or 0x hex/);
  });
});
