// The fixture Envoy itself (no bpftrace needed): every variant builds, serves the toy
// ClientHello + HTTP/1 flow with hostile SNIs, and carries the Envoy symbols probes target.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { allVariants, buildFixture, FIXTURE_BUILD_DIR, FIXTURE_SOURCE_DIR, FixtureBuildError, resolveVariant, type BuiltFixture, type FixtureVariant } from "../fixtures/build-fixture.js";
import { driveTraffic, encodeClientHello, expectedFilterChainName, HOSTILE_SNIS, sendConnection, type ConnectionSpec } from "../fixtures/traffic.js";
import { killAllTracked, startFixture } from "./harness.js";

// The shared corpus lives next to the project (../shared), on every developer machine and in CI.
const CORPUS_TSV = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "shared", "envoy-corpus", "envoy-symbols-mangled-to-demangled.tsv");

function demangledSymbols(binary: string): Set<string> {
  const r = spawnSync("nm", ["-C", binary], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`nm failed on ${binary}: ${r.stderr}`);
  const names = new Set<string>();
  for (const line of r.stdout.split("\n")) {
    const m = /^[0-9a-f]*\s+\S\s+(.*)$/.exec(line);
    if (m) names.add(m[1]!.replace(/std::__1::/g, "std::").replace(/std::__cxx11::/g, "std::"));
  }
  return names;
}

function mangledSymbols(binary: string): Set<string> {
  const r = spawnSync("nm", [binary], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return new Set(r.stdout.split("\n").map((l) => l.split(" ").pop() ?? ""));
}

/** c++filt puts a space between two closing angle brackets. */
function close(t: string): string {
  return t.endsWith(">") ? `${t} ` : t;
}

/** The traced functions every variant must define, spelled for that variant. */
function expectedTracedNames(v: FixtureVariant): { present: string[]; absent: string[] } {
  const sv = v.stringView === "absl-class" ? "absl::string_view" : "std::basic_string_view<char, std::char_traits<char> >";
  const up = (t: string) => `std::unique_ptr<${t}, std::default_delete<${t}> >`;
  const sock = up("Envoy::Network::ConnectionSocket");
  const lambda =
    v.compiler === "clang"
      ? "Envoy::Event::FileEventImpl::assignEvents(unsigned int, event_base*)::$_1::__invoke(int, short, void*)"
      : "Envoy::Event::FileEventImpl::assignEvents(unsigned int, event_base*)::{lambda(int, short, void*)#1}::_FUN(int, short, void*)";
  const cbRet = v.generation === "1.3x" ? "absl::Status" : "void";
  const tls = "Envoy::Extensions::ListenerFilters::TlsInspector::Filter";
  const common = [
    "Envoy::Network::TcpListenerImpl::onSocketEvent(short)",
    "Envoy::Network::IoSocketHandleImpl::accept(sockaddr*, unsigned int*)",
    "Envoy::Event::FileEventImpl::assignEvents(unsigned int, event_base*)",
    lambda,
    `Envoy::Event::DispatcherImpl::createFileEvent(int, std::function<${cbRet} (unsigned int)>, Envoy::Event::FileTriggerType, unsigned int)`,
    `Envoy::Server::ActiveTcpListener::onAccept(${sock}&&)`,
    `Envoy::Server::ActiveTcpListener::onAcceptWorker(${sock}&&, bool, bool)`,
    "Envoy::Server::ActiveTcpSocket::newConnection()",
    "Envoy::Server::ActiveTcpSocket::continueFilterChain(bool)",
    `${tls}::onAccept(Envoy::Network::ListenerFilterCallbacks&)`,
    `${tls}::onALPN(unsigned char const*, unsigned int)`,
    `${tls}::onServername(${sv})`,
    `Envoy::Network::ConnectionSocketImpl::setRequestedApplicationProtocols(std::vector<${sv}, std::allocator<${close(sv)}> > const&)`,
    `Envoy::Network::ConnectionImpl::ConnectionImpl(Envoy::Event::Dispatcher&, ${sock}&&, ${up("Envoy::Network::TransportSocket")}&&, Envoy::StreamInfo::StreamInfo&, bool)`,
    "Envoy::Network::ConnectionImpl::onFileEvent(unsigned int)",
    "Envoy::Network::ConnectionImpl::readDisable(bool)",
    "Envoy::Http::Http1::ConnectionImpl::dispatchSlice(char const*, unsigned long)",
    "Envoy::Http::Http1::ConnectionImpl::onMessageComplete()",
    `Envoy::Fixture::AbiProbe::svSecond(int, ${sv})`,
    `Envoy::Fixture::AbiProbe::svThird(int, long, ${sv})`,
    `Envoy::Fixture::AbiProbe::svSeventh(int, int, int, int, int, int, ${sv})`,
    `Envoy::Fixture::AbiProbe::svSplit(int, int, int, int, ${sv}, int)`,
    `Envoy::Fixture::AbiProbe::svAfterDouble(double, ${sv})`,
    `Envoy::Fixture::AbiProbe::svReturn(${sv})`,
    "Envoy::Fixture::AbiProbe::stringRef(std::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)",
    "Envoy::Fixture::AbiProbe::stringPtr(std::basic_string<char, std::char_traits<char>, std::allocator<char> >*)",
  ];
  const gen119 = [
    `Envoy::StreamInfo::StreamInfoImpl::setFilterChainName(${sv})`,
    `${tls}::Filter(std::shared_ptr<Envoy::Extensions::ListenerFilters::TlsInspector::Config>)`,
    `${tls}::parseClientHello(void const*, unsigned long)`,
    `${tls}::onRead()`,
    `${tls}::done(bool)`,
    "Envoy::Http::Http1::LegacyHttpParserImpl::execute(char const*, int)",
    `Envoy::Server::ActiveTcpListener::newConnection(${sock}&&, ${up("Envoy::StreamInfo::StreamInfo")})`,
  ];
  const gen13x = [
    "Envoy::Network::ConnectionInfoSetterImpl::setFilterChainInfo(std::shared_ptr<Envoy::Network::FilterChainInfo const>)",
    `${tls}::Filter(std::shared_ptr<Envoy::Extensions::ListenerFilters::TlsInspector::Config> const&)`,
    `${tls}::parseClientHello(void const*, unsigned long, unsigned long)`,
    `${tls}::onData(Envoy::Network::ListenerFilterBuffer&)`,
    "Envoy::Http::Http1::BalsaParser::execute(char const*, int)",
    `Envoy::Server::ActiveStreamListenerBase::newConnection(${sock}&&, ${up("Envoy::StreamInfo::StreamInfo")})`,
    "Envoy::Server::FilterChainImpl::name() const",
  ];
  return v.generation === "1.19" ? { present: [...common, ...gen119], absent: gen13x } : { present: [...common, ...gen13x], absent: gen119 };
}

describe("fixture envoy", () => {
  const built = new Map<string, BuiltFixture>();

  beforeAll(async () => {
    // Sequential: each build already uses both cores.
    for (const v of allVariants()) built.set(v.name, await buildFixture(v));
  });

  it("rejects an impossible variant with a stable code", () => {
    expect(() => resolveVariant({ compiler: "gcc", stringView: "absl-class", generation: "1.3x" })).toThrow(FixtureBuildError);
    expect(() => resolveVariant({ compiler: "msvc" as never })).toThrow(/FIXTURE_BAD_VARIANT/);
  });

  it("says which compiler is missing", async () => {
    await expect(buildFixture({ compiler: "gcc", cxx: "/nonexistent/g++" })).rejects.toThrow(/FIXTURE_COMPILER_MISSING: \/nonexistent\/g\+\+ is not runnable/);
  });

  it("reports a failed compile with the compiler's output and leaves no partial build", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fake-cxx-"));
    const cxx = join(dir, "fake-c++");
    writeFileSync(cxx, '#!/bin/sh\n[ "$1" = --version ] && { echo fake 1.0; exit 0; }\necho "fake-c++: error: no such luck" >&2\nexit 1\n');
    chmodSync(cxx, 0o755);
    await expect(buildFixture({ compiler: "clang", cxx })).rejects.toThrow(/FIXTURE_COMPILE_FAILED: 1\.19-clang-absl-class: .*fake-c\+\+ failed:\n.*no such luck/s);
    // Temporary build directories carry the builder's PID; other processes may be building right now.
    expect(readdirSync(FIXTURE_BUILD_DIR).filter((d) => d.startsWith(".tmp-") && d.includes(`-${process.pid}-`))).toEqual([]);
  });

  it("builds once when asked twice at the same time, then reuses the build", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fake-cxx-"));
    const cxx = join(dir, "ok-c++");
    const log = join(dir, "calls.log");
    // A stand-in compiler: records each call and creates its -o output.
    writeFileSync(
      cxx,
      `#!/bin/sh\n[ "$1" = --version ] && { echo ok-c++ 1.0 ${process.pid}-${Date.now()}; exit 0; }\necho call >> ${log}\nwhile [ $# -gt 1 ]; do [ "$1" = -o ] && : > "$2"; shift; done\nsleep 0.2\n`,
    );
    chmodSync(cxx, 0o755);
    const [a, b] = await Promise.all([buildFixture({ compiler: "gcc", cxx }), buildFixture({ compiler: "gcc", cxx })]);
    expect(a.path).toBe(b.path);
    const calls = readFileSync(log, "utf8").trim().split("\n").length;
    const sources = readdirSync(join(FIXTURE_SOURCE_DIR, "src")).filter((f) => f.endsWith(".cc")).length;
    expect(calls).toBe(sources + 1); // one compile per source, one link
    const again = await buildFixture({ compiler: "gcc", cxx });
    expect(again).toMatchObject({ path: a.path, cached: true });
    rmSync(dirname(a.path), { recursive: true }); // an empty stand-in "envoy": never leave it in the cache
  });

  it("reuses a cached build", async () => {
    const again = await buildFixture({ compiler: "clang", stringView: "absl-class" });
    expect(again.cached).toBe(true);
    expect(again.path).toBe(built.get("1.19-clang-absl-class")!.path);
  });

  it("exits with a one-line usage error on a bad flag", () => {
    const r = spawnSync(built.get("1.19-gcc-absl-class")!.path, ["--bogus"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("unknown argument '--bogus'");
  });

  for (const v of allVariants()) {
    describe(v.name, () => {
      it("defines every traced Envoy function under its real name", () => {
        const names = demangledSymbols(built.get(v.name)!.path);
        const { present, absent } = expectedTracedNames(v);
        expect(present.filter((n) => !names.has(n))).toEqual([]);
        expect(absent.filter((n) => names.has(n))).toEqual([]);
      });

      it("serves hostile SNIs and passes their bytes through unchanged", async () => {
        const fixture = await startFixture(built.get(v.name)!.path, { maxConnections: Object.keys(HOSTILE_SNIS).length + 2 });
        try {
          const specs: ConnectionSpec[] = [...Object.values(HOSTILE_SNIS).map((sni) => ({ sni })), { sni: "" }, { sni: "split.example", splitWrites: true, path: "/p" }];
          const results = await driveTraffic(fixture.port, specs);
          for (const [i, r] of results.entries()) {
            expect(r.status).toBe(200);
            expect(r.body).toBe(
              `ok path=${specs[i]!.path ?? "/"} sni_bytes=${r.sni.length} chain_bytes=${expectedFilterChainName(r.sni).length}\n`,
            );
          }
          const exit = await fixture.waitExit();
          expect(exit.exitCode).toBe(0);
          expect(exit.stdout).toContain(`EXIT connections=${specs.length}`);
        } finally {
          await fixture.stop();
          killAllTracked();
        }
      });
    });
  }

  it("--listen-on-signal waits without a listener until SIGUSR1, and exits cleanly on SIGTERM", async () => {
    const deferred = await startFixture(built.get("1.3x-clang-std-alias")!.path, { deferListen: true });
    expect(deferred.port).toBe(0);
    const port = await deferred.listen();
    expect(port).toBeGreaterThan(0);
    expect((await sendConnection(port, { sni: "deferred.example" })).status).toBe(200);
    expect((await deferred.stop()).exitCode).toBe(0);

    const never = await startFixture(built.get("1.3x-gcc-std-alias")!.path, { deferListen: true });
    const exit = await never.stop();
    expect(exit.exitCode).toBe(0);
    expect(exit.stdout).toBe("WAITING\nEXIT connections=0\n");
  });

  it("closes a connection whose preamble is not a ClientHello, and keeps serving", async () => {
    const fixture = await startFixture(built.get("1.19-gcc-std-alias")!.path);
    try {
      const { connect } = await import("node:net");
      const closed = await new Promise<boolean>((resolve) => {
        const s = connect(fixture.port, "127.0.0.1", () => s.write("GET / HTTP/1.1\r\n\r\n"));
        s.on("data", () => resolve(false));
        s.on("close", () => resolve(true));
        s.on("error", () => resolve(true)); // a reset is a close too
      });
      expect(closed).toBe(true);
      const ok = await sendConnection(fixture.port, { sni: "after.bad" });
      expect(ok.status).toBe(200);
    } finally {
      await fixture.stop();
    }
  });

  it("encodes the toy ClientHello as documented", () => {
    const b = encodeClientHello("ab", ["h2"]);
    expect([...b]).toEqual([0x16, 0x50, 0x43, 0x01, 0, 9, 0, 2, 0x61, 0x62, 0, 3, 2, 0x68, 0x32]);
  });

  it.runIf(existsSync(CORPUS_TSV) || process.env.CI === "true")("clang + absl-class reproduces the corpus's mangled names of the traced functions", () => {
    const traced = [
      "TlsInspector6Filter",
      "StreamInfoImpl18setFilterChainName",
      "13FileEventImplC2",
      "15ActiveTcpSocket13newConnection",
      "15ActiveTcpSocketC2",
      "ActiveTcpListener14onAcceptWorker",
    ];
    const corpus = readFileSync(CORPUS_TSV, "utf8")
      .split("\n")
      .map((l) => l.split("\t")[0]!)
      .filter((m) => m.startsWith("_ZN5Envoy") && traced.some((t) => m.includes(t)));
    expect(corpus.length).toBeGreaterThan(10);
    const names = mangledSymbols(built.get("1.19-clang-absl-class")!.path);
    expect(corpus.filter((m) => !names.has(m))).toEqual([]);
  });
});
