// The bpftrace text that the ABI stage's lowering becomes once the real backend prints it — the only
// way to check AArch64 here, since this machine cannot run an arm64 bpftrace.
import { describe, expect, it } from "vitest";
import { lowerProbe, type AbiBinary, type AbiSymbol } from "../../../compiler/abi/index.js";
import { generateScript, parseBpftraceTarget } from "../../../compiler/backend/index.js";
import type { ArgRead, EventDecl, Expr, ResolvedProgram } from "../../../compiler/ir/program.js";
import { arg, binary, emitOf, probe, symbol } from "./ir-builders.js";

function script(value: Expr, sym: AbiSymbol, bin: AbiBinary, kind: "uprobe" | "uretprobe" = "uprobe"): string {
  const p = probe(kind, [emitOf({ v: value })]);
  const lowered = lowerProbe(p, [sym], bin);
  if (!lowered.ok) throw new Error(lowered.diagnostics.map((d) => d.message).join("\n"));
  const isText = value.kind === "uArg" || value.kind === "uRet" ? ["stringView", "stdString"].includes((value.read as ArgRead).as) : false;
  const event: EventDecl = { name: "e", tag: 1, loc: p.loc, fields: [{ name: "v", type: isText ? { kind: "sizedString", limit: 64 } : { kind: "int", bits: 64, signed: false } }] };
  const program: ResolvedProgram = {
    irVersion: 1,
    source: "t.probe.ts",
    binaries: [{ name: "envoy", loc: p.loc }],
    params: [],
    maps: [],
    events: [event],
    probes: [{ ...p, attachments: lowered.attachments }],
    resolvedBinaries: [{ name: bin.name, path: bin.path, buildId: null, arch: bin.arch, stdlib: bin.stdlib }],
  };
  const out = generateScript(program, { target: parseBpftraceTarget("0.17"), probecVersion: "test" });
  if (!out.ok) throw new Error(JSON.stringify(out.errors));
  return out.script.text;
}

const SV64: ArgRead = { as: "stringView", limit: 64 };
const chain = (t: string) => symbol(`Envoy::StreamInfo::StreamInfoImpl::setFilterChainName(${t})`, [t]);

describe("emitted bpftrace for AArch64", () => {
  const arm = (stdlib: "libc++" | "libstdc++") => binary("aarch64", stdlib);

  it("absl::string_view after this: text from r1, length r2", () => {
    const text = script(arg(0, SV64), chain("absl::string_view"), arm("libstdc++"));
    expect(text).toContain('str(reg("r1"), reg("r2") < 64 ? reg("r2") : 64), reg("r2")');
    expect(text).not.toMatch(/reg\("(si|dx|di)"\)/);
  });

  it("libstdc++ std::string_view: length r1, text r2", () => {
    const text = script(arg(0, SV64), chain("std::basic_string_view<char, std::char_traits<char> >"), arm("libstdc++"));
    expect(text).toContain('str(reg("r2"), reg("r1") < 64 ? reg("r1") : 64), reg("r1")');
  });

  it("a string_view that no longer fits in x0–x7 is read from the stack at sp+0 and sp+8", () => {
    const s = symbol("A::B::svSeventh(int, int, int, int, int, int, absl::string_view)", ["int", "int", "int", "int", "int", "int", "absl::string_view"]);
    const text = script(arg(6, SV64), s, arm("libstdc++"));
    expect(text).toContain('*(uint64 *)(reg("sp") + 8)');
    expect(text).toContain('str(*(uint64 *)reg("sp"), ');
  });

  it("string_view returned by value: r0, r1", () => {
    const s = symbol("A::B::svReturn(absl::string_view)", ["absl::string_view"], { returnType: "absl::string_view" });
    const text = script({ kind: "uRet", read: SV64 }, s, arm("libstdc++"), "uretprobe");
    expect(text).toContain("uretprobe:");
    expect(text).toContain('str(reg("r0"), reg("r1") < 64 ? reg("r1") : 64), reg("r1")');
  });

  it("this is r0", () => {
    expect(script({ kind: "uThis" }, chain("absl::string_view"), arm("libc++"))).toContain('reg("r0")');
  });
});

describe("emitted bpftrace for x86-64", () => {
  it("reproduces the seed's registers for absl's class, and swaps them for libstdc++'s std::string_view", () => {
    expect(script(arg(0, SV64), chain("absl::string_view"), binary("x86_64", "libstdc++"))).toContain('str(reg("si"), reg("dx") < 64 ? reg("dx") : 64), reg("dx")');
    expect(script(arg(0, SV64), chain("std::basic_string_view<char, std::char_traits<char> >"), binary("x86_64", "libstdc++"))).toContain(
      'str(reg("dx"), reg("si") < 64 ? reg("si") : 64), reg("si")',
    );
  });

  it("a stack-passed string_view reads sp+8 and sp+16 at entry", () => {
    const s = symbol("A::B::svSplit(int, int, int, int, absl::string_view, int)", ["int", "int", "int", "int", "absl::string_view", "int"]);
    const text = script(arg(4, SV64), s, binary("x86_64", "libstdc++"));
    expect(text).toContain('*(uint64 *)(reg("sp") + 8)');
    expect(text).toContain('*(uint64 *)(reg("sp") + 16)');
  });
});
