// The assertions shared by the ABI end-to-end tests on the fixture (hand-built IR and the probe
// file through the whole pipeline): what each traced method received, byte for byte.
import { expect, it } from "vitest";
import { expectedAbiValues, expectedFilterChainName, HOSTILE_SNIS, sniBytes } from "../fixtures/traffic.js";
import { sizedBytes, type DecodedEvent } from "./abi-helpers.js";

/** The SNIs every ABI run sends, one connection each, in this order. */
export const SNIS = Object.values(HOSTILE_SNIS);

export interface AbiRunState {
  events: DecodedEvent[];
  problems: string[];
  /** Bytes the script copies at most per string. */
  cut: number;
  scriptText: string;
}

/** Registers the checks of one traced run; `state` is read when the tests run (after beforeAll). */
export function registerAbiChecks(name: string, state: () => AbiRunState): void {
  const byName = (eventName: string) => state().events.filter((e) => e.event === eventName);
  const expectSized = (v: DecodedEvent["fields"][string], want: Buffer, what: string) => {
    const got = sizedBytes(v);
    expect(got.length, `${what}: true length`).toBe(want.length);
    expect(got.bytes.toString("hex"), `${what}: bytes`).toBe(want.subarray(0, Math.min(want.length, state().cut)).toString("hex"));
  };

  it(`${name}: every line decodes`, () => {
    expect(state().problems).toEqual([]);
    expect(state().scriptText).toContain("uprobe:");
  });

  it(`${name}: SNI and filter-chain name, hostile ones included`, () => {
    expect(byName("sni")).toHaveLength(SNIS.length);
    expect(byName("chain")).toHaveLength(SNIS.length);
    SNIS.forEach((sni, i) => {
      expectSized(byName("sni")[i]!.fields.name, sniBytes(sni), `sni ${i}`);
      expectSized(byName("chain")[i]!.fields.name, expectedFilterChainName(sni), `chain ${i}`);
    });
    // The long SNI really was cut, and its true length still arrived.
    const long = sizedBytes(byName("sni")[SNIS.indexOf(HOSTILE_SNIS.long!)]!.fields.name);
    expect(long.length).toBeGreaterThan(long.bytes.length);
  });

  it(`${name}: string_view as 2nd, 3rd, 7th parameter, split across registers and stack, after a double`, () => {
    SNIS.forEach((sni, i) => {
      const want = expectedAbiValues(sni);
      const second = byName("svSecond")[i]!.fields;
      expect(second.tag).toBe(want.svSecond.tag);
      expectSized(second.sv, want.svSecond.sv, `svSecond ${i}`);
      const third = byName("svThird")[i]!.fields;
      expect([third.tag, third.extra]).toEqual([want.svThird.tag, want.svThird.extra]);
      expect(third.self).toBe(second.self); // `this` is the same AbiProbe object
      expectSized(third.sv, want.svThird.sv, `svThird ${i}`);
      const seventh = byName("svSeventh")[i]!.fields;
      expect(seventh.a6).toBe(want.svSeventh.ints[5]);
      expectSized(seventh.sv, want.svSeventh.sv, `svSeventh ${i}`);
      const split = byName("svSplit")[i]!.fields;
      expect([split.a4, split.after]).toEqual([want.svSplit.ints[3], want.svSplit.after]);
      expectSized(split.sv, want.svSplit.sv, `svSplit ${i}`);
      expectSized(byName("svAfterDouble")[i]!.fields.sv, want.svAfterDouble.sv, `svAfterDouble ${i}`);
    });
  });

  it(`${name}: string_view returned by value`, () => {
    SNIS.forEach((sni, i) => {
      const want = expectedAbiValues(sni);
      expectSized(byName("svReturnArg")[i]!.fields.sv, want.svReturn.arg, `svReturn arg ${i}`);
      expectSized(byName("svReturn")[i]!.fields.ret, want.svReturn.returns, `svReturn ${i}`);
    });
  });

  it(`${name}: std::string by reference (short and long) and by pointer`, () => {
    SNIS.forEach((sni, i) => {
      const want = expectedAbiValues(sni);
      expectSized(byName("stringRef")[2 * i]!.fields.s, want.stringRefSmall, `stringRef small ${i}`);
      expectSized(byName("stringRef")[2 * i + 1]!.fields.s, want.stringRefLong, `stringRef long ${i}`);
      expectSized(byName("stringPtr")[i]!.fields.s, want.stringPtr, `stringPtr ${i}`);
    });
  });
}
