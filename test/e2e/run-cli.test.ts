// `probec run` as a whole process (the built CLI) against the real bpftrace and the fixture: every
// output format, -c and -p targets, SIGINT/SIGTERM, stacks symbolised by probec after the target
// exited, and no bpftrace left behind when probec is killed.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { childPids } from "../../runtime/symbolize/process-maps.js";
import { buildFixture, type BuiltFixture } from "../fixtures/build-fixture.js";
import { driveTraffic, expectedFilterChainName, HOSTILE_SNIS } from "../fixtures/traffic.js";
import { describeE2E, startFixture, type RunningFixture } from "./harness.js";
import { freePort, handwrittenManifest, handwrittenScript, NAME_LIMIT, writeHandwritten } from "./run-helpers.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CLI = join(root, "dist", "compiler", "cli", "main.js");
const SNIS = [HOSTILE_SNIS.plain!, HOSTILE_SNIS.quotes!, HOSTILE_SNIS.backslashes!, HOSTILE_SNIS.utf8!, HOSTILE_SNIS.controls!, HOSTILE_SNIS.long!, ""];

interface CliRun {
  child: ChildProcess;
  /** What probec printed so far. */
  stdout(): string;
  stderr(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startCli(args: string[]): CliRun {
  const child = spawn(process.execPath, [CLI, "run", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, stdout: () => stdout, stderr: () => stderr };
}

/** The bpftrace under a probec process, once probec says its probes are attached (text or jsonl). */
async function attachedBpftrace(cli: CliRun): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (/^# attached |^\{"type":"attached"/m.test(cli.stdout()) || /^probec: attached /m.test(cli.stderr())) {
      const [bpftrace] = childPids(cli.child.pid!);
      if (bpftrace !== undefined) return bpftrace;
    }
    if (cli.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`probec run did not report its probes attached:\n${cli.stdout()}`);
}

/** Waits until something listens on the port, without connecting (a connection would count for --max-connections). */
async function waitForListen(port: number): Promise<void> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const listening = (table: string) =>
    readFileSync(table, "utf8")
      .split("\n")
      .some((row) => {
        const cols = row.trim().split(/\s+/);
        return cols[1]?.endsWith(`:${hexPort}`) && cols[3] === "0A";
      });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (listening("/proc/net/tcp") || (existsSync("/proc/net/tcp6") && listening("/proc/net/tcp6"))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`nothing listens on ${port}`);
}

function gone(pid: number): boolean {
  return !existsSync(`/proc/${pid}`) || /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
}

function checkNames(events: { fields: { name: { text: string; length: number; truncated: boolean } } }[]): void {
  expect(events).toHaveLength(SNIS.length);
  events.forEach((e, i) => {
    const expected = expectedFilterChainName(SNIS[i]);
    const got = Buffer.from(e.fields.name.text, "utf8");
    expect(e.fields.name.length).toBe(expected.length);
    expect(e.fields.name.truncated).toBe(expected.length > NAME_LIMIT);
    expect(got.equals(expected.length > NAME_LIMIT ? expected.subarray(0, NAME_LIMIT) : expected)).toBe(true);
  });
}

describeE2E("probec run (CLI) on the fixture", () => {
  let fixture: BuiltFixture;
  let server: RunningFixture;
  let pidScript: string;
  const out = mkdtempSync(join(tmpdir(), "probec-run-cli-"));

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    fixture = await buildFixture({ compiler: "clang", stringView: "absl-class", generation: "1.19" });
    pidScript = writeHandwritten(fixture.path);
    server = await startFixture(fixture.path);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("-c with jsonl: hostile names byte-exact, exits when the command does, map stacks symbolised by probec", async () => {
    const port = await freePort();
    const script = writeHandwritten(fixture.path, handwrittenScript(fixture.path, ""), handwrittenManifest(false));
    const file = join(out, "c.jsonl");
    const cli = startCli([script, "-c", `${fixture.path} --port ${port} --max-connections ${SNIS.length}`, "--format", "jsonl", "-o", file]);
    await waitForListen(port);
    await driveTraffic(port, SNIS.map((sni) => ({ sni })));
    const r = await cli.done;
    expect(r.stderr).not.toMatch(/error PC/);
    expect(r.code).toBe(0);
    // The fixture's own stdout shares bpftrace's; probec routes it to stderr, out of the data.
    expect(r.stderr).toMatch(/LISTENING \d+/);
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    checkNames(lines.filter((l) => l.type === "event" && l.event === "filterChain") as unknown as Parameters<typeof checkNames>[0]);
    const summary = lines.find((l) => l.type === "summary") as unknown as { malformed: number; foreignLines: number; totalEvents: number };
    expect(summary.malformed).toBe(0);
    expect(summary.foreignLines).toBeGreaterThanOrEqual(1);
    // bpftrace printed @wakeStacks after the fixture had exited: bare addresses. probec placed them.
    const wake = lines.find((l) => l.type === "map" && l.name === "wakeStacks") as unknown as { entries: { key: [{ address: string; symbol?: string; module?: string }[]] }[] };
    const top = wake.entries[0]!.key[0][0]!;
    expect(top.address).toMatch(/^0x[0-9a-f]+$/);
    expect(top.module).toBe(fixture.path);
    expect(top.symbol).toMatch(/^Envoy::Network::TcpListenerImpl::onSocketEvent\(short\)$/);
  });

  it("-p with chrome-trace and SIGINT: a valid Trace Event Format file with threads, instants and slices", async () => {
    const file = join(out, "trace.json");
    const cli = startCli([pidScript, "-p", String(server.pid), "--param", `ENVOY_PID=${server.pid}`, "--format", "chrome-trace", "-o", file]);
    const bpftrace = await attachedBpftrace(cli);
    await driveTraffic(server.port, SNIS.map((sni) => ({ sni })));
    await new Promise((r) => setTimeout(r, 500));
    cli.child.kill("SIGINT");
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(gone(bpftrace)).toBe(true);

    const trace = JSON.parse(readFileSync(file, "utf8")) as { traceEvents: Record<string, unknown>[]; displayTimeUnit: string; otherData: Record<string, unknown> };
    expect(Array.isArray(trace.traceEvents)).toBe(true);
    expect(["ms", "ns"]).toContain(trace.displayTimeUnit);
    for (const ev of trace.traceEvents) {
      expect(["M", "i", "X"]).toContain(ev.ph);
      expect(typeof ev.name).toBe("string");
      expect(Number.isInteger(ev.pid) && Number.isInteger(ev.tid)).toBe(true);
      if (ev.ph === "M") {
        expect(["process_name", "thread_name"]).toContain(ev.name);
        expect(typeof (ev.args as { name: unknown }).name).toBe("string");
        continue;
      }
      expect(typeof ev.ts === "number" && (ev.ts as number) > 0).toBe(true);
      expect(typeof ev.cat).toBe("string");
      if (ev.ph === "i") expect(ev.s).toBe("t");
      if (ev.ph === "X") expect(typeof ev.dur === "number" && (ev.dur as number) >= 0).toBe(true);
    }
    const threads = trace.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name");
    expect(threads.some((t) => t.pid === server.pid && t.tid === server.pid)).toBe(true);
    const slices = trace.traceEvents.filter((e) => e.ph === "X" && e.name === "onSocketEvent");
    expect(slices.length).toBeGreaterThanOrEqual(1);
    const names = trace.traceEvents.filter((e) => e.ph === "i" && e.name === "filterChain");
    checkNames(names.map((e) => ({ fields: e.args as { name: { text: string; length: number; truncated: boolean } } })));
    // Instants sit inside the time range of the run's slices' thread.
    expect(names.every((e) => e.tid === server.pid)).toBe(true);
    expect(trace.otherData.malformed).toBe(0);
  });

  it("-p with text and SIGTERM: one line per event, stacks indented, summary with maps", async () => {
    const cli = startCli([pidScript, "-p", String(server.pid), "--param", `ENVOY_PID=${server.pid}`]);
    await attachedBpftrace(cli);
    await driveTraffic(server.port, [{ sni: HOSTILE_SNIS.quotes! }]);
    await new Promise((r) => setTimeout(r, 500));
    cli.child.kill("SIGTERM");
    const r = await cli.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# attached 4 probes$/m); // three uprobes and the readiness BEGIN
    const line = r.stdout.split("\n").find((l) => / filterChain /.test(l))!;
    expect(line).toContain(`name=${JSON.stringify(`chain:${HOSTILE_SNIS.quotes}`)}`);
    expect(line).toMatch(/^\+\d+\.\d{6} filterChain pid=\d+ tid=\d+ comm="envoy"/);
    expect(r.stdout).toMatch(/^ {4}stack:\n {6}Envoy::StreamInfo::StreamInfoImpl::setFilterChainName\(absl::string_view\)\+0$/m);
    expect(r.stdout).toMatch(/^--- summary/m);
    expect(r.stdout).toMatch(/^events: \d+ \(.*filterChain 1/m);
    expect(r.stdout).toMatch(/^@byChain\n {2}\["envoy", 18\]: 1$/m);
  });

  it("-p with folded: root-first stacks with counts, from events and from stack-keyed maps", async () => {
    const cli = startCli([pidScript, "-p", String(server.pid), "--param", `ENVOY_PID=${server.pid}`, "--format", "folded"]);
    await attachedBpftrace(cli);
    await driveTraffic(server.port, [{ sni: "a" }, { sni: "b" }]);
    await new Promise((r) => setTimeout(r, 500));
    cli.child.kill("SIGINT");
    const r = await cli.done;
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    for (const l of lines) expect(l).toMatch(/^[^;\n]+(;[^;\n]+)+ \d+$/);
    const chain = lines.find((l) => l.startsWith("filterChain;"))!;
    expect(chain).toMatch(/;Envoy::StreamInfo::StreamInfoImpl::setFilterChainName\(absl::string_view\) 2$/);
    expect(lines.some((l) => /^@wakeStacks;.*;Envoy::Network::TcpListenerImpl::onSocketEvent\(short\) \d+$/.test(l))).toBe(true);
  });

  it("no bpftrace outlives probec, even when probec is SIGKILLed", async () => {
    const cli = startCli([pidScript, "-p", String(server.pid), "--param", `ENVOY_PID=${server.pid}`, "--format", "jsonl"]);
    const bpftrace = await attachedBpftrace(cli);
    cli.child.kill("SIGKILL");
    await cli.done;
    const deadline = Date.now() + 5_000;
    while (!gone(bpftrace) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(gone(bpftrace)).toBe(true);
  });

  it("when bpftrace dies under it, probec run says so and exits non-zero", async () => {
    const cli = startCli([pidScript, "-p", String(server.pid), "--param", `ENVOY_PID=${server.pid}`, "--format", "jsonl"]);
    const bpftrace = await attachedBpftrace(cli);
    process.kill(bpftrace, "SIGKILL");
    const r = await cli.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error PC9654: bpftrace was killed by SIGKILL/);
  });

  it("a kprobe on this kernel fails with PC9652 and exit code 1", async () => {
    const script = writeHandwritten(fixture.path, "kprobe:do_nanosleep { print((3, nsecs, pid, tid, comm)); }\n", handwrittenManifest(false));
    const r = await startCli([script]).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error PC9652: this kernel does not support kprobes/);
  });
});
