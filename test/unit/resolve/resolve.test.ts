// The resolver against real binaries built by gcc (libstdc++) and clang (libc++).
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBinary, resolve, resolvePatterns, type PatternResolution } from "../../../compiler/symbols/resolve/index.js";
import { fixtureBinaries, removeFixtureBinaries, type FixtureBinaries } from "../elf/fixture-binaries.js";

afterAll(() => removeFixtureBinaries());

let fx: FixtureBinaries;
beforeAll(() => {
  fx = fixtureBinaries();
}, 120_000);

const opts = { cache: false as const };
function one(path: string, pattern: string, options: Parameters<typeof resolve>[2] = opts): PatternResolution {
  return resolve(path, [pattern], options).patterns[0]!;
}
function nmAddress(path: string, mangled: string): number {
  const line = execFileSync("nm", [path], { encoding: "utf8" }).split("\n").find((l) => l.endsWith(` ${mangled}`));
  if (line === undefined) throw new Error(`${mangled} not in nm output`);
  return parseInt(line.split(" ")[0]!, 16);
}

describe("resolve on fixture binaries", () => {
  it("reports the binary's facts: build-id, arch, standard library, symbol source", () => {
    const g = resolve(fx.gcc, ["main"], opts).binary;
    expect(g.arch).toBe("x86-64");
    expect(g.buildId).toMatch(/^[0-9a-f]{40}$/);
    expect(g.stdlib.stdlib).toBe("libstdc++");
    expect(g.stripped).toBe(false);
    const c = resolve(fx.clang, ["main"], opts).binary;
    expect(c.stdlib.stdlib).toBe("libc++");
    expect(c.buildId).not.toBe(g.buildId);
    const s = resolve(fx.gccStripped, ["main"], opts).binary;
    expect(s.stripped).toBe(true);
    expect(s.symbolSource).toBe(".dynsym");
  });

  it("resolves a method to its mangled name, address, size, file offset and parameters", () => {
    for (const path of [fx.gcc, fx.clang]) {
      const r = one(path, "Envoy::Network::TcpListenerImpl::onSocketEvent", { cache: false, inlineNamespaces: ["Envoy::Network::v2"] });
      expect(r.error).toBeNull();
      expect(r.matches).toHaveLength(1);
      const m = r.matches[0]!;
      expect(m.mangled).toBe("_ZN5Envoy7Network2v215TcpListenerImpl13onSocketEventEs");
      expect(m.demangled).toBe("Envoy::Network::v2::TcpListenerImpl::onSocketEvent(short)");
      expect(m.params).toEqual(["short"]);
      expect(m.address).toBe(nmAddress(path, m.mangled));
      expect(m.size).toBeGreaterThan(0);
      const elf = openBinary(path).elf;
      const text = elf.sections.find((s) => s.name === ".text")!;
      expect(m.fileOffset).toBe(m.address - text.addr + text.offset);
      elf.close();
      expect(m.view.path.map((s) => s.name)).toEqual(["Envoy", "Network", "v2", "TcpListenerImpl", "onSocketEvent"]);
    }
  });

  it("lists every overload, or the one the parameter list picks", () => {
    const all = one(fx.gcc, "Envoy::Network::v2::TcpListenerImpl::setName");
    expect(all.matches.map((m) => m.params)).toHaveLength(3);
    const sv = one(fx.clang, "Envoy::Network::v2::TcpListenerImpl::setName(std::string_view)");
    expect(sv.matches.map((m) => m.demangled)).toEqual([
      "Envoy::Network::v2::TcpListenerImpl::setName(std::__1::basic_string_view<char, std::__1::char_traits<char> >)",
    ]);
    const str = one(fx.gcc, "Envoy::Network::v2::TcpListenerImpl::setName(const std::string&)");
    expect(str.matches).toHaveLength(1);
    expect(str.matches[0]!.params).toEqual(["std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&"]);
  });

  it("folds constructor and destructor variants at one address into one entry", () => {
    for (const path of [fx.gcc, fx.clang]) {
      const ctor = one(path, "Envoy::Event::FileEventImpl::FileEventImpl");
      expect(ctor.matches).toHaveLength(1);
      expect(ctor.matches[0]!.mangled).toBe("_ZN5Envoy5Event13FileEventImplC1Ei");
      expect(ctor.matches[0]!.aliases).toEqual(["_ZN5Envoy5Event13FileEventImplC2Ei"]);
      const dtor = one(path, "Envoy::Event::FileEventImpl::~FileEventImpl");
      expect(dtor.matches).toHaveLength(1);
      expect(dtor.matches[0]!.aliases).toHaveLength(1);
    }
  });

  it("finds the lambda's static invoker in both compilers' binaries with one pattern", () => {
    const p = "Envoy::Event::FileEventImpl::assignEvents::{lambda}";
    const g = one(fx.gcc, p);
    expect(g.matches.map((m) => m.demangled)).toEqual([
      "Envoy::Event::FileEventImpl::assignEvents(unsigned int, event_base*)::{lambda(int, short, void*)#1}::_FUN(int, short, void*)",
    ]);
    const c = one(fx.clang, p);
    expect(c.matches.map((m) => m.demangled)).toEqual(["Envoy::Event::FileEventImpl::assignEvents(unsigned int, event_base*)::$_0::__invoke(int, short, void*)"]);
    expect(c.matches[0]!.params).toEqual(["int", "short", "void*"]);
  });

  it("keeps GCC clones and C functions, and never returns .cold parts", () => {
    const clone = one(fx.gcc, "Envoy::scaleBy");
    expect(clone.matches.map((m) => m.mangled)).toEqual(["_ZN5EnvoyL7scaleByEii.constprop.0"]);
    const main = one(fx.gcc, "main");
    expect(main.matches.map((m) => m.mangled)).toEqual(["main"]);
    expect(one(fx.gcc, "c_helper").matches).toHaveLength(1);
    expect(one(fx.gcc, "main*").matches.map((m) => m.mangled)).toEqual(["main"]);
  });

  it("names the nearest candidates when nothing matches", () => {
    const typo = one(fx.gcc, "Envoy::Network::v2::TcpListenerImpl::onSocketEvnt");
    expect(typo.error?.code).toBe("SYM_NO_MATCH");
    expect(typo.error?.candidates[0]).toBe("Envoy::Network::v2::TcpListenerImpl::onSocketEvent(short)");
    expect(typo.error?.message).toContain("nearest: 'Envoy::Network::v2::TcpListenerImpl::onSocketEvent(short)'");
    const overload = one(fx.gcc, "Envoy::Network::ListenerManager::addListener(char)");
    expect(overload.error?.candidates).toEqual(["Envoy::Network::ListenerManager::addListener(int)"]);
    const wrongClass = one(fx.gcc, "Envoy::Network::TcpListener::addListener");
    expect(wrongClass.error?.candidates).toContain("Envoy::Network::ListenerManager::addListener(int)");
    const inlineLeftOut = one(fx.gcc, "Envoy::Network::TcpListenerImpl::onSocketEvent");
    expect(inlineLeftOut.error?.candidates).toContain("Envoy::Network::v2::TcpListenerImpl::onSocketEvent(short)");
    const nothing = one(fx.gcc, "Zzyzx::Qwerty::frobnicate");
    expect(nothing.error?.code).toBe("SYM_NO_MATCH");
    expect(nothing.error?.candidates).toEqual([]);
    const stripped = one(fx.gccStripped, "Envoy::Event::FileEventImpl::assignEvents::{lambda}").error;
    expect(stripped?.code).toBe("SYM_NO_MATCH");
    expect(stripped?.message).toContain("the binary is stripped");
  });

  it("refuses too many matches with the count and a hint", () => {
    const r = one(fx.gcc, "Envoy::**", { cache: false, limit: 3 });
    expect(r.error?.code).toBe("SYM_TOO_MANY");
    expect(r.error?.count).toBeGreaterThan(3);
    expect(r.error?.message).toMatch(/matches \d+ functions .* more than the limit of 3 .*narrow it/);
    expect(one(fx.gcc, "Envoy::**", { cache: false, limit: 100 }).error).toBeNull();
  });

  it("throws PatternError for a malformed pattern before reading symbols", () => {
    expect(() => resolve(fx.gcc, ["Envoy::(oops"], opts)).toThrow(expect.objectContaining({ code: "PATTERN_EMPTY_COMPONENT", column: 8 }));
    expect(() => resolve(fx.gcc, ["main", "Envoy::Net%work"], opts)).toThrow(expect.objectContaining({ code: "PATTERN_BAD_CHAR", column: 11 }));
  });

  it("throws ElfError for something that is not a binary", () => {
    const dir = mkdtempSync(join(tmpdir(), "probec-resolve-"));
    expect(() => resolve(join(dir, "missing"), ["main"], opts)).toThrow(expect.objectContaining({ code: "ELF_OPEN_FAILED" }));
  });
});

describe("resolve on /usr/bin/node", () => {
  it("resolves v8::internal::Heap methods, detects libstdc++ and node's build-id", () => {
    const r = resolve("/usr/bin/node", ["v8::internal::Heap::CollectGarbage", "v8::internal::Heap::*"], opts);
    expect(r.binary.stdlib.stdlib).toBe("libstdc++");
    expect(r.binary.buildId).toMatch(/^[0-9a-f]{40}$/);
    const [collect, all] = r.patterns;
    expect(collect!.error).toBeNull();
    expect(collect!.matches.every((m) => m.demangled.startsWith("v8::internal::Heap::CollectGarbage("))).toBe(true);
    expect(all!.error).toBeNull();
    expect(all!.matches.length).toBeGreaterThan(100);
    expect(all!.matches.every((m) => m.view.path.length === 4 && m.view.path.slice(0, 3).map((s) => s.name).join("::") === "v8::internal::Heap")).toBe(true);
    expect(all!.matches.some((m) => m.demangled.startsWith("void v8::internal::Heap::CopyRange<"))).toBe(true); // templates print a return type
  }, 60_000);
});
