// Every example under examples/envoy type-checks and lowers to IR without diagnostics.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compileProbeFile } from "../../../compiler/frontend/index.js";
import { repoRoot, where } from "./helpers.js";

const dir = join(repoRoot, "examples/envoy");
const examples = readdirSync(dir).filter((f) => f.endsWith(".probe.ts"));

describe("examples", () => {
  test("there are examples to check", () => {
    expect(examples).toEqual(expect.arrayContaining(["accept-flow.probe.ts", "listen-socket.probe.ts", "tls-read-write.probe.ts"]));
  });

  test.each(examples)("%s compiles cleanly", (name) => {
    const r = compileProbeFile(join(dir, name), { cwd: repoRoot });
    expect(where(r)).toEqual([]);
    expect(r.program!.probes.length).toBeGreaterThan(0);
  });
});

describe("the seed port", () => {
  const file = join(dir, "accept-flow.probe.ts");
  const plain = compileProbeFile(file, { cwd: repoRoot }).program!;
  const withKprobes = compileProbeFile(file, { cwd: repoRoot, defines: { kprobes: "true" } }).program!;

  test("keeps every map of the seed, by its name", () => {
    for (const name of ["sockpair", "sockpair_exist", "watchedWakeRound", "fdFired", "fd2sockpair", "fd2sockopt", "tid2Waketime", "tid2epollNrFdReady", "last_epoll_wait_args"]) {
      expect(plain.maps.map((m) => m.name)).toContain(name);
    }
  });

  test("the kretprobe on inet_csk_accept is there only with --define kprobes=true", () => {
    const kinds = (p: typeof plain) => p.probes.map((x) => (x.attach.kind === "kretprobe" ? `kretprobe:${x.attach.function}` : x.attach.kind));
    expect(kinds(plain)).not.toContain("kretprobe:inet_csk_accept");
    expect(kinds(withKprobes)).toContain("kretprobe:inet_csk_accept");
  });

  test("probes every point of the seed", () => {
    const points = plain.probes.map((p) => (p.attach.kind === "tracepoint" ? p.attach.name : p.attach.kind === "uprobe" || p.attach.kind === "uretprobe" ? `${p.attach.kind}:${p.attach.patterns[0]}` : p.attach.kind));
    expect(points).toEqual(
      expect.arrayContaining([
        "begin", "end", "sys_exit_accept4", "sys_enter_setsockopt", "sys_enter_epoll_ctl", "sys_enter_epoll_wait", "sys_exit_epoll_wait", "sys_enter_close",
        "uprobe:Envoy::Event::FileEventImpl::assignEvents::{lambda}",
        "uretprobe:Envoy::Event::FileEventImpl::assignEvents::{lambda}",
        "uprobe:Envoy::Extensions::ListenerFilters::TlsInspector::**::*",
        "uprobe:Envoy::Network::ConnectionSocketImpl::setRequestedApplicationProtocols",
        "uprobe:Envoy::StreamInfo::StreamInfoImpl::setFilterChainName",
      ]),
    );
  });

  test("every probe except BEGIN/END is filtered on ENVOY_PID", () => {
    for (const p of plain.probes.filter((x) => x.attach.kind !== "begin" && x.attach.kind !== "end")) {
      expect(JSON.stringify(p.filter)).toContain('{"kind":"param","name":"ENVOY_PID"}');
    }
  });

  test("the filter-chain name is a string_view read of parameter 0", () => {
    const p = plain.probes.find((x) => x.attach.kind === "uprobe" && x.attach.patterns[0]!.endsWith("setFilterChainName"))!;
    expect(JSON.stringify(p.body)).toContain('"kind":"uArg","index":0,"read":{"as":"stringView"}');
  });
});

describe("compiling several files in one process", () => {
  test("a file changed on disk between two compilations is read again", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "probec-reuse-"));
    const file = join(dir, "x.probe.ts");
    writeFileSync(file, `import { begin, printf } from "probec";\nbegin(() => printf("one\\n"));\n`);
    expect(JSON.stringify(compileProbeFile(file).program!.probes[0]!.body)).toContain('"one\\n"');
    writeFileSync(file, `import { end, printf } from "probec";\nend(() => printf("two\\n"));\n`);
    const second = compileProbeFile(file).program!;
    expect(second.probes[0]!.attach).toEqual({ kind: "end" });
    expect(JSON.stringify(second.probes[0]!.body)).toContain('"two\\n"');
  });
});
