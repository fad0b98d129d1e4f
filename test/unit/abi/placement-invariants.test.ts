// Invariants of both calling conventions over many generated signatures: no two values share a
// register or stack slot, integer registers are handed out in parameter order, a two-word value is
// never split between registers and the stack, and stack slots grow in parameter order.
import { describe, expect, it } from "vitest";
import { classifyParam, type Arch } from "../../../compiler/abi/classify.js";
import { aapcs64 } from "../../../compiler/abi/conventions/aapcs64.js";
import type { Location } from "../../../compiler/abi/conventions/location.js";
import { sysvX86_64 } from "../../../compiler/abi/conventions/sysv-x86_64.js";

const POOL = [
  "int", "bool", "unsigned long", "char const*", "Foo&", "double", "float",
  "absl::string_view", "std::basic_string_view<char, std::char_traits<char> >", "__int128",
  "std::function<void (unsigned int)>", "void (Foo::*)(int)", "long double",
];

/** A small deterministic generator (xorshift), so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const INT_ORDER: Record<Arch, string[]> = {
  x86_64: ["di", "si", "dx", "cx", "r8", "r9"],
  aarch64: ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"],
};

function check(arch: Arch, seed: number): void {
  const next = rng(seed);
  const count = Math.floor(next() * 12);
  const types = Array.from({ length: count }, () => POOL[Math.floor(next() * POOL.length)]!).filter((t) => arch === "x86_64" || t !== "long double");
  const hasThis = next() < 0.5;
  const conv = arch === "x86_64" ? sysvX86_64 : aapcs64;
  const placed = conv.placeCall({ params: types.map((t) => classifyParam(t, { arch, stdlib: "libstdc++" }).cls), hasThis, returns: null });
  const all: Location[] = [...(placed.thisLocation ? [placed.thisLocation] : []), ...placed.params];
  const used = new Set<string>();
  let lastIntReg = -1;
  let lastStack = -1;
  const what = `${arch} seed ${seed}: ${hasThis ? "this, " : ""}${types.join(", ")}`;
  for (const loc of all) {
    expect(loc.kind, what).not.toBe("unplaced");
    if (loc.kind === "vector") {
      expect(used.has(loc.name), what).toBe(false);
      used.add(loc.name);
      continue;
    }
    if (loc.kind !== "words") continue;
    const kinds = new Set(loc.words.map((w) => w.kind));
    expect(kinds.size, `${what}: a value split between registers and stack`).toBe(1);
    for (const w of loc.words) {
      const key = w.kind === "reg" ? w.name : `sp+${w.offset}`;
      expect(used.has(key), `${what}: ${key} used twice`).toBe(false);
      used.add(key);
      if (w.kind === "reg") {
        const i = INT_ORDER[arch].indexOf(w.name);
        expect(i, `${what}: ${w.name} is not an argument register`).toBeGreaterThanOrEqual(0);
        if (arch === "aarch64") {
          // AAPCS64 never goes back to a register once the stack is used (rule C.13).
          expect(lastStack, `${what}: register after stack`).toBe(-1);
        }
        expect(i, `${what}: registers out of order`).toBeGreaterThan(lastIntReg);
        lastIntReg = i;
      } else {
        expect(w.offset % 8, what).toBe(0);
        expect(w.offset, `${what}: stack slots out of order`).toBeGreaterThan(lastStack);
        lastStack = w.offset;
      }
    }
  }
}

describe("placement invariants", () => {
  for (const arch of ["x86_64", "aarch64"] as Arch[]) {
    it(`${arch}: 2000 generated signatures`, () => {
      for (let seed = 1; seed <= 2000; seed++) check(arch, seed);
    });
  }
});
