// The matrix of `probec check` against real fixture binaries of both generations: what each point
// of the library-based seed port resolves to, the alternatives taken, and the text rendering.
import { beforeAll, describe, expect, test } from "vitest";
import { checkFile, formatReportText, type CheckCell, type CheckPoint, type CheckReport } from "../../../compiler/check/index.js";
import { buildCheckFixtures, LIB_SCRIPT, type CheckFixtures } from "./fixtures.js";

let fx: CheckFixtures;
let report: CheckReport;

const pointWith = (text: string): CheckPoint => {
  const p = report.points.find((x) => x.patterns.some((pat) => pat.includes(text)));
  if (!p) throw new Error(`no point with a pattern containing ${text}`);
  return p;
};
const resolved = (c: CheckCell) => {
  if (c.status !== "resolved") throw new Error(`expected resolved, got ${JSON.stringify(c)}`);
  return c;
};

beforeAll(async () => {
  fx = await buildCheckFixtures();
  const result = await checkFile(LIB_SCRIPT, [
    { name: "envoy", path: fx.old.path },
    { name: "envoy", path: fx.newGcc.path },
    { name: "envoy", path: fx.newClang.path },
  ], { cache: false });
  expect(result.report, JSON.stringify(result.diagnostics.filter((d) => d.category === "error"))).not.toBeNull();
  report = result.report!;
}, 240_000);

describe("probec check matrix on the library-based seed port", () => {
  test("one column per binding, with path, build-id, arch and standard library", () => {
    expect(report.columns.map((c) => c.path)).toEqual([fx.old.path, fx.newGcc.path, fx.newClang.path]);
    for (const c of report.columns) {
      expect(c.buildId).toMatch(/^[0-9a-f]{40}$/);
      expect(c.arch).toBe("x86-64");
      expect(c.error).toBeUndefined();
    }
    expect(report.columns.map((c) => c.stdlib)).toEqual(["libc++", "libstdc++", "libc++"]);
    expect(new Set(report.columns.map((c) => c.buildId)).size).toBe(3);
  });

  test("every required point resolves in every binary: ok, no errors", () => {
    expect(report.ok).toBe(true);
    expect(report.diagnostics.filter((d) => d.category === "error")).toEqual([]);
    for (const p of report.points.filter((x) => !x.group)) {
      p.cells.forEach((c) => expect(c.status, `${p.id} ${p.patterns[0]}`).toBe("resolved"));
    }
  });

  test("points carry their source location in the library and their patterns", () => {
    const p = pointWith("TcpListenerImpl::onSocketEvent");
    expect(p.loc.file).toMatch(/examples\/lib\/envoy\/listener\.ts$/);
    expect(p.loc.line).toBeGreaterThan(1);
    expect(p.kind).toBe("uprobe");
    for (const c of p.cells) expect(resolved(c).symbols[0]!.mangled).toBe("_ZN5Envoy7Network15TcpListenerImpl13onSocketEventEs");
  });

  test("parseClientHello: the 2-parameter alternative on 1.19, the 3-parameter one on 1.3x", () => {
    const p = pointWith("parseClientHello");
    expect(p.patterns).toHaveLength(2);
    const [old, gcc, clang] = p.cells.map(resolved);
    expect(old!.alternatives).toEqual([1]);
    expect(old!.symbols[0]!.demangled).toMatch(/parseClientHello\(void const\*, unsigned long\)$/);
    expect(gcc!.alternatives).toEqual([0]);
    expect(clang!.alternatives).toEqual([0]);
    expect(gcc!.symbols[0]!.demangled).toMatch(/parseClientHello\(void const\*, unsigned long, unsigned long\)$/);
  });

  test("HTTP/1 parser: LegacyHttpParserImpl on 1.19, BalsaParser on 1.3x", () => {
    const p = pointWith("BalsaParser::execute");
    expect(resolved(p.cells[0]!).symbols[0]!.demangled).toMatch(/^Envoy::Http::Http1::LegacyHttpParserImpl::execute/);
    expect(resolved(p.cells[1]!).symbols[0]!.demangled).toMatch(/^Envoy::Http::Http1::BalsaParser::execute/);
  });

  test("filter chain: one .orElse group, a different member taken per generation and library", () => {
    const name = pointWith("setFilterChainName");
    const libcxx = pointWith("setFilterChainInfo(std::__1::shared_ptr");
    const libstdcxx = pointWith("setFilterChainInfo(std::shared_ptr");
    expect(name.group).toEqual({ id: name.id, index: 0 });
    expect(libcxx.group).toEqual({ id: name.id, index: 1 });
    expect(libstdcxx.group).toEqual({ id: name.id, index: 2 });
    // 1.19: setFilterChainName(absl::string_view); the later members are not used.
    expect(resolved(name.cells[0]!).symbols[0]!.demangled).toBe("Envoy::StreamInfo::StreamInfoImpl::setFilterChainName(absl::string_view)");
    expect(libcxx.cells[0]).toEqual({ status: "not-taken", takenBy: name.id });
    expect(libstdcxx.cells[0]).toEqual({ status: "not-taken", takenBy: name.id });
    // 1.3x g++: only the libstdc++ spelling exists.
    expect(name.cells[1]).toMatchObject({ status: "missing", required: false });
    expect(libcxx.cells[1]).toMatchObject({ status: "missing", required: false });
    expect(resolved(libstdcxx.cells[1]!).symbols[0]!.demangled).toBe(
      "Envoy::Network::ConnectionInfoSetterImpl::setFilterChainInfo(std::shared_ptr<Envoy::Network::FilterChainInfo const>)",
    );
    // 1.3x clang: the libc++ member; the libstdc++ one comes after it and is not taken.
    expect(resolved(libcxx.cells[2]!).symbols[0]!.mangled).toContain("NSt3__110shared_ptr");
    expect(libstdcxx.cells[2]).toEqual({ status: "not-taken", takenBy: libcxx.id });
  });

  test("onServername resolves to each binary's own string_view spelling", () => {
    const p = pointWith("onServername");
    const params = p.cells.map((c) => resolved(c).symbols[0]!.demangled.replace(/^.*onServername/, ""));
    expect(params).toEqual([
      "(absl::string_view)",
      "(std::basic_string_view<char, std::char_traits<char> >)",
      "(std::__1::basic_string_view<char, std::__1::char_traits<char> >)",
    ]);
  });

  test("the text matrix: binaries with build-ids, one grid row per point, details per cell", () => {
    const text = formatReportText(report);
    const lines = text.split("\n");
    report.columns.forEach((c) => {
      expect(text).toContain(`[${c.index}] envoy = ${c.path}`);
      expect(text).toContain(`build-id ${c.buildId}`);
    });
    const header = lines.find((l) => l.startsWith("point"))!;
    expect(header).toMatch(/\[1\]\s+\[2\]\s+\[3\]$/);
    const parse = pointWith("parseClientHello");
    const row = lines.find((l) => l.startsWith(`${parse.id} `))!;
    expect(row.trim().split(/\s{2,}/).slice(1)).toEqual(["ok alt 2", "ok alt 1", "ok alt 1"]);
    const name = pointWith("setFilterChainName");
    const nameRow = lines.find((l) => l.startsWith(`${name.id} `))!;
    expect(nameRow.trim().split(/\s{2,}/).slice(1)).toEqual(["ok", "absent", "absent"]);
    expect(text).toContain("[1] alt 2: Envoy::Extensions::ListenerFilters::TlsInspector::Filter::parseClientHello(void const*, unsigned long)");
    expect(text).toContain(`not taken: alternative ${name.id} resolved first`);
    expect(lines.filter((l) => /^p\d+ \S/.test(l))).toHaveLength(report.points.length); // grid rows
    expect(lines.filter((l) => /^p\d+  \S/.test(l))).toHaveLength(report.points.length); // detail titles
    expect(text.trimEnd().endsWith("ok: every required point resolves in every binary")).toBe(true);
  });
});
