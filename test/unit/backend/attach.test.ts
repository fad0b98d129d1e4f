// Uprobe attach points: quoted exact names, one block per attachment, aliases at one address merged,
// the probe-count limit checked before bpftrace sees the script, and the errors around them.
import { describe, expect, test } from "vitest";
import { generateScript, parseBpftraceTarget, type GenerateResult } from "../../../compiler/backend/index.js";
import type { ResolvedProgram } from "../../../compiler/ir/program.js";
import { at, int, program, sym, tid, tracepoint, uprobe } from "./ir-samples.js";

const v017 = parseBpftraceTarget("0.17");

function generate(p: ResolvedProgram): GenerateResult {
  return generateScript(p, { target: v017, probecVersion: "test" });
}

function ok(p: ResolvedProgram) {
  const r = generate(p);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.code} ${e.message}`).join("\n"));
  return r.script;
}

function errors(p: ResolvedProgram) {
  const r = generate(p);
  if (r.ok) throw new Error("expected the backend to refuse the program");
  return r.errors;
}

const count = (n: number) => [{ kind: "mapSet" as const, map: "n", key: [tid], value: int(n), loc: at(2) }];
const withMap = (p: Partial<ResolvedProgram> & { probes: ResolvedProgram["probes"] }) =>
  program({ maps: [{ name: "n", loc: at(1), shape: "perThread", key: [{ kind: "int", bits: 32, signed: false }], value: { kind: "int", bits: 64, signed: false } }], ...p });

describe("attach points", () => {
  test("symbols of one attachment are comma-joined, quoted and exact", () => {
    const s = ok(withMap({ probes: [uprobe("p0", 10, "A::f", [{ symbols: [sym("_ZN1A1fEv", "A::f()", 0x10), sym("_ZN1A1fEi", "A::f(int)", 0x20)], body: count(1) }])] }));
    expect(s.text).toContain('uprobe:/opt/envoy/bin/envoy:"_ZN1A1fEv",\nuprobe:/opt/envoy/bin/envoy:"_ZN1A1fEi"\n/pid == $1/\n{');
    expect(s.probeCount).toBe(2);
  });

  test("attachments lowered differently become separate blocks", () => {
    const s = ok(
      withMap({
        probes: [
          uprobe("p0", 10, "A::f", [
            { symbols: [sym("_ZN1A1fEv", "A::f()", 0x10)], body: count(1) },
            { symbols: [sym("_ZN1A1fEi", "A::f(int)", 0x20)], body: count(2) },
          ]),
        ],
      }),
    );
    expect(s.text.match(/^uprobe:/gm)).toHaveLength(2);
    expect(s.text).toContain('"_ZN1A1fEv"\n/pid == $1/\n{\n    @n[tid] = 1;');
    expect(s.text).toContain('"_ZN1A1fEi"\n/pid == $1/\n{\n    @n[tid] = 2;');
  });

  test("C1/C2 aliases at one address are one probe, in a probe and across its attachments", () => {
    const s = ok(
      withMap({
        probes: [
          uprobe("p0", 10, "A::A", [
            { symbols: [sym("_ZN1AC2Ev", "A::A()", 0x10), sym("_ZN1AC1Ev", "A::A()", 0x10)], body: count(1) },
            { symbols: [sym("_ZN1AC1Ei", "A::A(int)", 0x10), sym("_ZN1AC2Ei", "A::A(int)", 0x30)], body: count(2) },
          ]),
        ],
      }),
    );
    expect(s.text).toContain('"_ZN1AC2Ev"');
    expect(s.text).not.toContain('"_ZN1AC1Ev"');
    expect(s.text).not.toContain('"_ZN1AC1Ei"');
    expect(s.text).toContain('"_ZN1AC2Ei"');
    expect(s.probeCount).toBe(2);
    expect(s.probes[0].symbols.map((x) => x.mangled)).toEqual(["_ZN1AC2Ev", "_ZN1AC2Ei"]);
  });

  test("the same address in a uprobe and a uretprobe is two probes: they are different kinds", () => {
    const s = ok(
      withMap({
        probes: [
          uprobe("p0", 10, "A::f", [{ symbols: [sym("_ZN1A1fEv", "A::f()", 0x10)], body: count(1) }]),
          uprobe("p1", 20, "A::f", [{ symbols: [sym("_ZN1A1fEv", "A::f()", 0x10)], body: count(2) }], "uretprobe"),
        ],
      }),
    );
    expect(s.probeCount).toBe(2);
    expect(s.warnings).toEqual([]);
  });

  test("two handlers at one address both stay, with a warning naming the other probe", () => {
    const s = ok(
      withMap({
        probes: [
          uprobe("p0", 10, "A::f", [{ symbols: [sym("_ZN1A1fEv", "A::f()", 0x10)], body: count(1) }]),
          uprobe("p1", 20, "A::*", [{ symbols: [sym("_ZN1A1fEv", "A::f()", 0x10), sym("_ZN1A1gEv", "A::g()", 0x20)], body: count(2) }]),
        ],
      }),
    );
    expect(s.probeCount).toBe(3);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toMatchObject({ code: 9550, category: "warning", loc: at(20) });
    expect(s.warnings[0].message).toContain("p0 (demo.probe.ts:10)");
  });

  test("a name local functions of several files share is attached once, with a warning naming the copies", () => {
    const s = ok(
      withMap({
        probes: [
          uprobe("p0", 10, "helper", [{ symbols: [sym("_ZL6helperi", "helper(int)", 0x1139), sym("_ZL6helperi", "helper(int)", 0x1165), sym("_ZN1A1fEv", "A::f()", 0x20)], body: count(1) }]),
        ],
      }),
    );
    expect(s.text.match(/"_ZL6helperi"/g)).toHaveLength(1);
    expect(s.probeCount).toBe(2);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toMatchObject({ code: 9551, category: "warning", loc: at(10) });
    expect(s.warnings[0].message).toContain("helper(int) names 2 local functions (0x1139, 0x1165)");
  });

  test("more probes than bpftrace allows is an error before any script is written", () => {
    const many = Array.from({ length: 300 }, (_, i) => sym(`_ZN1A2f${i}Ev`, `A::f${i}()`, 0x1000 + i * 16));
    const more = Array.from({ length: 213 }, (_, i) => sym(`_ZN1B2g${i}Ev`, `B::g${i}()`, 0x9000 + i * 16));
    const es = errors(
      withMap({
        probes: [uprobe("p0", 10, "A::*", [{ symbols: many, body: count(1) }]), uprobe("p1", 20, "B::*", [{ symbols: more, body: count(1) }])],
      }),
    );
    expect(es).toHaveLength(1);
    expect(es[0].code).toBe(9303);
    expect(es[0].message).toContain("513 probes");
    expect(es[0].message).toContain("512");
    expect(es[0].loc).toEqual(at(10)); // the largest block
  });

  test("exactly 512 probes is accepted", () => {
    const many = Array.from({ length: 511 }, (_, i) => sym(`_ZN1A2f${i}Ev`, `A::f${i}()`, 0x1000 + i * 16));
    const s = ok(withMap({ probes: [uprobe("p0", 10, "A::*", [{ symbols: many, body: count(1) }]), tracepoint("p1", 20, "sys_enter_close", count(2))] }));
    expect(s.probeCount).toBe(512);
  });

  test("a non-optional point with no symbols is an error at the probe", () => {
    const es = errors(withMap({ probes: [uprobe("p0", 10, "A::nothing", [])] }));
    expect(es[0]).toMatchObject({ code: 9511, loc: at(10) });
  });

  test("an optional point with no symbols is left out with a warning and a comment", () => {
    const p = withMap({ probes: [{ ...uprobe("p0", 10, "A::gone", [], "uprobe", true), skipped: "no function matches" }, tracepoint("p1", 20, "sys_enter_close", count(1))] });
    const s = ok(p);
    expect(s.warnings[0]).toMatchObject({ code: 9304, category: "warning" });
    expect(s.text).toContain("// demo.probe.ts:10  uprobe envoy:A::gone (optional): left out, no function matches");
    expect(s.text).not.toMatch(/^uprobe:/m);
    expect(s.probes[0]).toMatchObject({ id: "p0", skipped: "no function matches", symbols: [] });
  });

  test("a binary path bpftrace cannot parse is refused with a hint", () => {
    const p = withMap({ probes: [uprobe("p0", 10, "A::f", [{ symbols: [sym("_ZN1A1fEv", "A::f()", 0x10)], body: count(1) }])] });
    p.resolvedBinaries[0].path = "/opt/my envoy/envoy";
    const es = errors(p);
    expect(es[0]).toMatchObject({ code: 9513, loc: at(10) });
    expect(es[0].message).toContain("symlink");
  });

  test("other probe kinds", () => {
    const s = ok(
      withMap({
        probes: [
          { id: "k", loc: at(3), attach: { kind: "kretprobe", function: "inet_csk_accept" }, filter: null, body: count(1), attachments: [] },
          { id: "i", loc: at(4), attach: { kind: "profile", unit: "hz", value: 99 }, filter: null, body: count(2), attachments: [] },
        ],
      }),
    );
    expect(s.text).toContain("\nkretprobe:inet_csk_accept\n{");
    expect(s.text).toContain("\nprofile:hz:99\n{");
  });
});

test("an unwritable binary path is reported once, not once per probe", () => {
  const p = withMap({
    probes: [
      uprobe("p0", 10, "A::f", [{ symbols: [sym("_ZN1A1fEv", "A::f()", 0x10)], body: count(1) }]),
      uprobe("p1", 20, "A::g", [{ symbols: [sym("_ZN1A1gEv", "A::g()", 0x20)], body: count(2) }]),
    ],
  });
  p.resolvedBinaries[0].path = "relative/envoy:1";
  const es = errors(p);
  expect(es.map((e) => [e.code, e.loc?.line])).toEqual([[9513, 10]]);
});
