// probec's placement against a real compiler's code generation, for both architectures. Each case
// is a function that returns one word of one parameter; clang -O2 compiles it to a single move
// from where that word lives (`mov x0, x2`, `ldr x0, [sp, #8]`, `movq 8(%rsp), %rax`), which is
// compared with what the ABI stage computes. Needs only clang (it targets AArch64 without a sysroot).
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { classifyParam, type Arch } from "../../../compiler/abi/classify.js";
import { aapcs64 } from "../../../compiler/abi/conventions/aapcs64.js";
import { sysvX86_64 } from "../../../compiler/abi/conventions/sysv-x86_64.js";

interface Case {
  name: string;
  /** C++ parameter list; `SV` is a {const char*, size_t} struct like absl::string_view. */
  params: string[];
  member: boolean;
  /** Which parameter and which word of it the function returns. */
  index: number;
  word: 0 | 1;
  /** C++ expression returning that word. */
  body: string;
}

const I6 = ["long", "long", "long", "long", "long", "long"];
const CASES: Case[] = [
  { name: "svFirst_p", params: ["SV"], member: true, index: 0, word: 0, body: "(unsigned long)a0.p" },
  { name: "svFirst_n", params: ["SV"], member: true, index: 0, word: 1, body: "a0.n" },
  { name: "svSecond_n", params: ["long", "SV"], member: true, index: 1, word: 1, body: "a1.n" },
  { name: "svThird_p", params: ["long", "long", "SV"], member: true, index: 2, word: 0, body: "(unsigned long)a2.p" },
  { name: "svSeventh_p", params: [...I6, "SV"], member: true, index: 6, word: 0, body: "(unsigned long)a6.p" },
  { name: "svSeventh_n", params: [...I6, "SV"], member: true, index: 6, word: 1, body: "a6.n" },
  { name: "svSplit_n", params: ["long", "long", "long", "long", "SV", "long"], member: true, index: 4, word: 1, body: "a4.n" },
  { name: "svSplit_after", params: ["long", "long", "long", "long", "SV", "long"], member: true, index: 5, word: 0, body: "(unsigned long)a5" },
  { name: "svAfterDouble_n", params: ["double", "SV"], member: true, index: 1, word: 1, body: "a1.n" },
  { name: "eighth_long", params: [...I6, "long", "long"], member: true, index: 7, word: 0, body: "(unsigned long)a7" },
  { name: "afterStack_long", params: [...I6, "SV", "long"], member: true, index: 7, word: 0, body: "(unsigned long)a7" },
  { name: "int128_hi", params: ["long", "__int128"], member: true, index: 1, word: 1, body: "(unsigned long)(a1 >> 64)" },
  { name: "free_sv_n", params: ["SV", "long"], member: false, index: 0, word: 1, body: "a0.n" },
  { name: "free_long", params: ["SV", "long"], member: false, index: 1, word: 0, body: "(unsigned long)a1" },
];

function source(): string {
  const lines = ["struct SV { const char* p; unsigned long n; };", "struct C {"];
  for (const c of CASES.filter((k) => k.member)) lines.push(`  unsigned long ${c.name}(${c.params.map((p, i) => `${p} a${i}`).join(", ")});`);
  lines.push("};");
  for (const c of CASES) {
    const head = c.member ? `unsigned long C::${c.name}` : `unsigned long ${c.name}`;
    lines.push(`${head}(${c.params.map((p, i) => `${p} a${i}`).join(", ")}) { return ${c.body}; }`);
  }
  return lines.join("\n") + "\n";
}

/** The first instruction of each function in clang's assembly, by the case's name. */
function firstInstructions(target: string): Map<string, string> | null {
  const cc = spawnSync("clang++", [`--target=${target}`, "-O2", "-S", "-x", "c++", "-", "-o", "-"], { input: source(), encoding: "utf8" });
  if (cc.error || cc.status !== 0) return null;
  const out = new Map<string, string>();
  let current: string | null = null;
  for (const line of cc.stdout.split("\n")) {
    const label = /^(_Z\w+):/.exec(line);
    if (label) {
      current = CASES.find((c) => label[1]!.includes(`${c.name.length}${c.name}`))?.name ?? null;
      continue;
    }
    const insn = line.trim();
    if (current && insn !== "" && !insn.startsWith(".") && !insn.startsWith("//") && !insn.startsWith("#")) {
      out.set(current, insn);
      current = null;
    }
  }
  return out;
}

const X86_NAMES: Record<string, string> = { rdi: "di", rsi: "si", rdx: "dx", rcx: "cx", r8: "r8", r9: "r9" };

/** `reg:NAME` or `sp+N` from an instruction that loads the returned word. */
function sourceOf(arch: Arch, insn: string): string | null {
  if (arch === "aarch64") {
    const mov = /^mov\s+x0,\s*x(\d+)$/.exec(insn);
    if (mov) return `reg:r${mov[1]}`;
    const ldr = /^ldr\s+x0,\s*\[sp(?:,\s*#(\d+))?\]$/.exec(insn);
    if (ldr) return `sp+${ldr[1] ?? 0}`;
    return null;
  }
  const mov = /^movq\s+%(\w+),\s*%rax$/.exec(insn);
  if (mov) return X86_NAMES[mov[1]!] ? `reg:${X86_NAMES[mov[1]!]}` : null;
  const load = /^movq\s+(\d+)\(%rsp\),\s*%rax$/.exec(insn);
  if (load) return `sp+${load[1]}`;
  return null;
}

function expected(arch: Arch, c: Case): string {
  const ctx = { arch, stdlib: "libstdc++" as const };
  const classes = c.params.map((p) => classifyParam(p === "SV" ? "absl::string_view" : p, ctx).cls);
  const conv = arch === "x86_64" ? sysvX86_64 : aapcs64;
  const loc = conv.placeCall({ params: classes, hasThis: c.member, returns: null }).params[c.index]!;
  if (loc.kind !== "words") return loc.kind;
  const w = loc.words[c.word]!;
  return w.kind === "reg" ? `reg:${w.name}` : `sp+${w.offset}`;
}

for (const [arch, target] of [["aarch64", "aarch64-linux-gnu"], ["x86_64", "x86_64-linux-gnu"]] as [Arch, string][]) {
  const asm = firstInstructions(target);
  describe(`${arch} placement agrees with clang`, () => {
    if (!asm) {
      it.skip(`clang++ --target=${target} is not available`, () => undefined);
      return;
    }
    for (const c of CASES) {
      // clang before 18 does not 16-align a stack-passed __int128 on x86-64 (GCC and the psABI do).
      if (arch === "x86_64" && c.name.startsWith("int128")) continue;
      it(`${c.name}(${c.params.join(", ")})`, () => {
        const insn = asm.get(c.name);
        expect(insn, "function found in the assembly").toBeDefined();
        expect(sourceOf(arch, insn!), insn).toBe(expected(arch, c));
      });
    }
  });
}
