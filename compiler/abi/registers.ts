// Register names exactly as bpftrace's reg() accepts them (bpftrace src/arch/*.cpp), for
// validating the expert escape hatch `rawReg`.
import type { Arch } from "./classify.js";

const X86_64 = ["r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss"];
const AARCH64 = [...Array.from({ length: 32 }, (_, i) => `r${i}`), "sp", "pc", "pstate"];

export function registerNames(arch: Arch): readonly string[] {
  return arch === "x86_64" ? X86_64 : AARCH64;
}

export function isRegisterName(arch: Arch, name: string): boolean {
  return registerNames(arch).includes(name);
}

/** AArch64's architectural names `x0`…`x30` are what people write; bpftrace calls them `r0`…`r30`. */
export function canonicalRegister(arch: Arch, name: string): string {
  const x = arch === "aarch64" ? /^x(\d{1,2})$/.exec(name) : null;
  return x && Number(x[1]) <= 30 ? `r${x[1]}` : name;
}
