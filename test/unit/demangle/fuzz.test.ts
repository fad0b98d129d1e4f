// Robustness: random bytes, mutations of real names, pathological nesting, huge numbers,
// substitution blow-ups and out-of-range references. Every input must either demangle or be
// rejected with a DemangleError (stable code, offset inside the name): no other exception, no
// stack overflow, no runaway output. A seeded generator keeps runs reproducible and short.
import { describe, expect, it } from "vitest";
import { DemangleError, demangle, describe as describeName, parse } from "../../../compiler/symbols/demangle/index.js";

/** xorshift32: deterministic and cheap. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const SEEDS = [
  "_ZN5Envoy7Network15TcpListenerImpl13onSocketEventEs",
  "_ZNSt17_Function_handlerIFvvEZN5Envoy5Event14DispatcherImpl4postESt8functionIS0_EEUlvE_E9_M_invokeERKSt9_Any_data",
  "_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseEN3$_18__invokeEisPv",
  "_ZNKSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE4findEPKcmm",
  "_ZN4llvm17make_filter_rangeIRNS_10BasicBlockESt8functionIFbRNS_11InstructionEEEEENS_14iterator_rangeINS_20filter_iterator_implIDTclsr3stdE5beginclsr3stdE7declvalIRT_EEEET0_NS_6detail15fwd_or_bidi_tagISC_E4typeEEEEEOSA_SD_",
  "_ZN1A1fIJiiEiJiiiEEEvRAsPDpT_T0_DpT1_E_iS3_S5_",
  "_ZTv0_n24_N1A1fEv",
  "_Z1fIXtl1Xdi1adi1bdxLi3ELi1EEEEvv.isra.0",
];
const ALPHABET = "_ZNESTIJLXDKVRrOPFAMCGUtlvBW0123456789abcdefghijklmnopqrstuvwxyz.$";

/** Demangles `name` through every entry point; fails the test on anything but a clean result. */
function exercise(name: string): void {
  let text: string | null = null;
  try {
    text = demangle(name, { maxLength: Infinity });
  } catch (err) {
    throw new Error(`demangle threw on ${JSON.stringify(name)}: ${String(err)}`);
  }
  if (text !== null) expect(text.length).toBeLessThanOrEqual(1 << 20);
  try {
    parse(name);
  } catch (err) {
    if (!(err instanceof DemangleError)) throw new Error(`parse threw a non-DemangleError on ${JSON.stringify(name)}: ${String(err)}`);
    expect(err.offset).toBeGreaterThanOrEqual(0);
    expect(err.offset).toBeLessThanOrEqual(name.length);
  }
  const view = describeName(name);
  if (view !== null && text !== null && name.length <= 1024) expect(view.demangled).toBe(text);
}

describe("fuzz", () => {
  it("random strings after _Z", () => {
    const r = rng(1);
    for (let i = 0; i < 2500; i++) {
      const len = 1 + Math.floor(r() * 40);
      let s = "_Z";
      for (let k = 0; k < len; k++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
      exercise(s);
    }
  });

  it("random bytes, including non-ASCII", () => {
    const r = rng(2);
    for (let i = 0; i < 1000; i++) {
      let s = r() < 0.5 ? "_Z" : "";
      const len = Math.floor(r() * 30);
      for (let k = 0; k < len; k++) s += String.fromCharCode(Math.floor(r() * 256));
      exercise(s);
    }
  });

  it("mutations of real names (flip, insert, delete, duplicate a slice)", () => {
    const r = rng(3);
    for (let i = 0; i < 2500; i++) {
      let s = SEEDS[Math.floor(r() * SEEDS.length)]!;
      const edits = 1 + Math.floor(r() * 3);
      for (let e = 0; e < edits; e++) {
        const at = 2 + Math.floor(r() * (s.length - 2));
        const ch = ALPHABET[Math.floor(r() * ALPHABET.length)]!;
        const op = Math.floor(r() * 4);
        if (op === 0) s = s.slice(0, at) + ch + s.slice(at + 1);
        else if (op === 1) s = s.slice(0, at) + ch + s.slice(at);
        else if (op === 2) s = s.slice(0, at) + s.slice(at + 1);
        else s = s.slice(0, at) + s.slice(at, at + 8) + s.slice(at);
      }
      exercise(s);
    }
  });

  it("deep nesting is rejected with TOO_DEEP, not a stack overflow", () => {
    const cases = [
      "_Z1f" + "P".repeat(10000) + "i",
      "_Z1f" + "N1a".repeat(5000) + "E".repeat(5000),
      "_Z1f" + "FP".repeat(5000) + "i" + "E".repeat(5000),
      "_Z1fI" + "I".repeat(10000) + "i" + "E".repeat(10001) + "v",
      "_Z1fIXplLi1E".repeat(3000) + "Li1E",
      "_Z" + "Z1f".repeat(5000) + "vE1x",
    ];
    for (const name of cases) {
      exercise(name);
      expect(demangle(name, { maxLength: Infinity }), name.slice(0, 20)).toBeNull();
    }
    expect(() => parse("_Z1f" + "P".repeat(10000) + "i")).toThrowError(expect.objectContaining({ code: "TOO_DEEP" }));
  });

  it("huge numbers are rejected with BAD_NUMBER", () => {
    for (const name of ["_Z99999999999999999999a", "_Z1fIiEvT99999999999999_", "_Z1fS99999999999999_", "_ZN1fUt99999999999_E", "_Z4294967297a"]) {
      exercise(name);
      expect(demangle(name)).toBeNull();
    }
    expect(() => parse("_Z99999999999999999999a")).toThrowError(expect.objectContaining({ code: "BAD_NUMBER" }));
  });

  it("substitution references past the table and to themselves are rejected", () => {
    for (const name of ["_Z1fS_", "_Z1fIS0_E", "_ZN1AS0_E", "_Z1fN1AIS1_EE", "_Z1fSZZZZZZZ_"]) {
      exercise(name);
      expect(demangle(name)).toBeNull();
    }
  });

  it("template parameters out of range are rejected", () => {
    for (const name of ["_Z1fIiEvT0_", "_Z1fIiEvT5_", "_Z1fT_", "_ZN1AIiE1fEvT_", "_Z1fIJiEEvDpT1_"]) {
      exercise(name);
      expect(demangle(name)).toBeNull();
    }
  });

  it("exponential substitution blow-up stops at the output budget", () => {
    // Each level is a pair of the previous one: 2^40 copies of `A` if printed in full.
    let name = "_Z1f1A";
    let prev = "S_";
    for (let level = 0; level < 40; level++) {
      name += `St4pairI${prev}${prev}E`;
      prev = `S${(2 * level + 1).toString(36).toUpperCase()}_`;
    }
    exercise(name);
    expect(demangle(name, { maxLength: Infinity })).toBeNull();
  });
});
