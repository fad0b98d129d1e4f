// End to end against a real third-party library: Debian's libabsl_strings. A small program calls
// absl::SimpleAtoi, which lands in the shared library's
// absl::debian3::numbers_internal::safe_strto32_base(absl::debian3::string_view, int*, int) — a
// free function whose string_view (absl's own class, inline namespace debian3) is in rdi:rsi.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { EventDecl, Expr, Probe } from "../../compiler/ir/program.js";
import type { AbiBinary } from "../../compiler/abi/index.js";
import { buildAbslAtoi } from "../fixtures/absl-atoi/build.js";
import { describeE2E, startBpftrace, type BpftraceSession } from "./harness.js";
import { buildScript, decodeEvents, LOC, pick, readSymbols, sizedBytes, type DecodedEvent } from "./abi-helpers.js";

const READY = "probec-absl-ready";
const INPUTS: Buffer[] = [
  "42",
  "-2147483648",
  "  17  ",
  "not a number",
  `quote"back\\slash`,
  "héllo-wörld",
  "9".repeat(250),
  "",
].map((s) => Buffer.from(s, "utf8"));

const build = buildAbslAtoi();

describeE2E("ABI reads in Debian's libabsl_strings", () => {
  if (!build.ok) {
    // Like bpftrace itself: required in CI, skipped with the reason elsewhere.
    if (process.env.CI === "true") it("builds the absl-atoi program", () => expect.fail(build.reason));
    else it.skip(`libabsl end to end (${build.reason})`, () => undefined);
    return;
  }
  const { path: program, library } = build;
  let events: DecodedEvent[] = [];
  let problems: string[] = [];
  let warnings: string[] = [];
  let programOutput = "";
  let cut = 0;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    child = spawn(program, [], { stdio: ["pipe", "pipe", "pipe"] });
    child.stdout!.on("data", (d: Buffer) => (programOutput += d.toString()));
    const pid = child.pid!;
    const table = readSymbols(library, true);
    const binary: AbiBinary = { name: "absl", path: library, buildId: null, arch: "x86_64", stdlib: "libstdc++", abslStringView: table.abslStringView };
    const symbols = pick(table, /^absl::debian3::numbers_internal::safe_strto32_base\(/);
    const onlyOurs: Expr = { kind: "binary", op: "==", left: { kind: "builtin", name: "pid" }, right: { kind: "int", value: String(pid) } };
    const attach = { binary: "absl", patterns: ["absl::numbers_internal::safe_strto32_base"], select: "all" as const, optional: false };
    const entry: Probe = {
      id: "p0",
      loc: LOC(10),
      attach: { kind: "uprobe", ...attach },
      filter: onlyOurs,
      body: [
        {
          kind: "emit",
          event: "parse",
          fields: [
            { name: "text", value: { kind: "uArg", index: 0, read: { as: "stringView", limit: 200 }, loc: LOC(11) } },
            { name: "base", value: { kind: "uArg", index: 2, read: { as: "int", type: { kind: "int", bits: 32, signed: true } }, loc: LOC(12) } },
          ],
          loc: LOC(11),
        },
      ],
    };
    const exit: Probe = {
      id: "p1",
      loc: LOC(20),
      attach: { kind: "uretprobe", ...attach },
      filter: onlyOurs,
      body: [{ kind: "emit", event: "parsed", fields: [{ name: "ok", value: { kind: "uRet", read: { as: "int", type: { kind: "int", bits: 8, signed: false } } } }], loc: LOC(21) }],
    };
    const ready: Probe = { id: "p2", loc: LOC(30), attach: { kind: "begin" }, filter: null, body: [{ kind: "printf", format: `${READY}\n`, args: [], loc: LOC(30) }] };
    const decls: EventDecl[] = [
      { name: "parse", tag: 1, loc: LOC(10), fields: [{ name: "text", type: { kind: "sizedString", limit: 200 } }, { name: "base", type: { kind: "int", bits: 32, signed: true } }] },
      { name: "parsed", tag: 2, loc: LOC(20), fields: [{ name: "ok", type: { kind: "int", bits: 8, signed: false } }] },
    ];
    const built = buildScript(
      [
        { probe: entry, symbols },
        { probe: exit, symbols },
        { probe: ready, symbols: [] },
      ],
      decls,
      binary,
    );
    warnings = built.warnings;
    cut = Number(built.script.bpftraceEnv.BPFTRACE_STRLEN ?? 64) - 1;
    let bt: BpftraceSession | undefined;
    try {
      bt = await startBpftrace({ scriptFile: built.file, json: true, env: { ...process.env, ...built.script.bpftraceEnv } });
      await bt.waitForOutput((out) => out.includes(READY), 60_000);
      for (const input of INPUTS) child.stdin!.write(`${input.toString("hex")}\n`);
      child.stdin!.end();
      await bt.waitForOutput((out) => out.split("\n").filter((l) => l.startsWith('{"type": "value"')).length >= INPUTS.length * 3, 15_000);
      ({ events, problems } = decodeEvents((await bt.stop()).stdout, built.script));
    } finally {
      if (bt) await bt.stop(2_000);
    }
  }, 120_000);

  afterAll(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
  });

  it("the function is taken for a free function (lower-case namespace), with a warning that says so", () => {
    expect(warnings.some((w) => w.includes("is a free function") && w.includes("numbers_internal"))).toBe(true);
  });

  it("decodes every string SimpleAtoi parsed, exactly, with its true length", () => {
    expect(problems).toEqual([]);
    const parses = events.filter((e) => e.event === "parse");
    expect(parses).toHaveLength(INPUTS.length);
    parses.forEach((e, i) => {
      const got = sizedBytes(e.fields.text);
      const want = INPUTS[i]!;
      expect(got.length, `input ${i}: true length`).toBe(want.length);
      expect(got.bytes.toString("hex"), `input ${i}: bytes`).toBe(want.subarray(0, Math.min(want.length, cut)).toString("hex"));
      expect(e.fields.base).toBe(10);
    });
    const long = sizedBytes(parses[6]!.fields.text);
    expect(long.bytes.length).toBeLessThan(long.length);
  });

  it("the return value agrees with what the program printed", () => {
    const results = events.filter((e) => e.event === "parsed").map((e) => e.fields.ok);
    const printed = programOutput
      .split("\n")
      .filter((l) => l === "fail" || l.startsWith("ok "))
      .map((l) => (l === "fail" ? 0 : 1));
    expect(printed).toHaveLength(INPUTS.length);
    expect(results).toEqual(printed);
  });
});
