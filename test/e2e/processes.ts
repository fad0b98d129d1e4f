// Runs the fixture Envoy and the real bpftrace (argv only, never a shell), waits until the probes
// are really attached, drives traffic, stops both cleanly and returns what bpftrace printed. Every
// child is tracked so none outlives its caller (killAllTracked, and at exit). No test framework
// here, so scripts (examples/demo.sh) can use it too; test/e2e/harness.ts adds the vitest parts.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { READY_MARKER } from "../../compiler/ir/manifest.js";
import { attachedProbeCount } from "./bpftrace-output.js";

const live = new Set<ChildProcess>();

function track(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
}

/** Kill every child the harness started that is still running (SIGKILL; used on failure paths). */
export function killAllTracked(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  live.clear();
}
process.once("exit", killAllTracked);

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export interface ExitResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True when the process did not stop on its own signal and had to be SIGKILLed. */
  killed: boolean;
}

// ---------------------------------------------------------------- fixture

export interface FixtureOptions {
  /** 0 = ephemeral (default). */
  port?: number;
  /** Exit cleanly after this many connections have closed. */
  maxConnections?: number;
  /**
   * Start without a listener (`--listen-on-signal`): resolves once the fixture waits, with port 0;
   * `listen()` then creates the listener (socket, bind, listen), so a tracer attached first sees it.
   */
  deferListen?: boolean;
  startTimeoutMs?: number;
}

export interface RunningFixture {
  pid: number;
  /** The listening port (0 until `listen()` for a deferred fixture). */
  port: number;
  /** For a `deferListen` fixture: create the listener now; resolves to the port. Otherwise returns the port. */
  listen(timeoutMs?: number): Promise<number>;
  /** Stop the fixture (SIGTERM; SIGKILL after the timeout) and collect its output. */
  stop(timeoutMs?: number): Promise<ExitResult>;
  /** Wait for the fixture to exit on its own (after --max-connections). */
  waitExit(timeoutMs?: number): Promise<ExitResult>;
}

export function startFixture(binary: string, opts: FixtureOptions = {}): Promise<RunningFixture> {
  const args = ["--port", String(opts.port ?? 0)];
  if (opts.maxConnections !== undefined) args.push("--max-connections", String(opts.maxConnections));
  if (opts.deferListen) args.push("--listen-on-signal");
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  track(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const result = (killed: boolean): ExitResult => ({ stdout, stderr, exitCode: child.exitCode, signal: child.signalCode, killed });
  const listeningPort = () => {
    const m = /^LISTENING (\d+)$/m.exec(stdout);
    return m ? Number(m[1]) : undefined;
  };

  /** Resolves when stdout satisfies `ready`; rejects (and kills the fixture) on exit, error or timeout. */
  const awaitLine = (ready: () => boolean, what: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        child.off("exit", onExit);
        child.off("error", onError);
        child.stdout!.off("data", onData);
      };
      const fail = (why: string) => {
        cleanup();
        child.kill("SIGKILL");
        reject(new Error(`fixture ${binary} ${why}; stdout=${JSON.stringify(stdout)} stderr=${JSON.stringify(stderr)}`));
      };
      const timer = setTimeout(() => fail(`did not print ${what} within ${timeoutMs} ms`), timeoutMs);
      const onExit = (code: number | null) => fail(`exited early with ${code}`);
      const onError = (e: Error) => fail(`could not start: ${e.message}`);
      const onData = () => {
        if (!ready()) return;
        cleanup();
        resolve();
      };
      child.once("exit", onExit);
      child.once("error", onError);
      child.stdout!.on("data", onData);
      onData();
    });

  const fixture: RunningFixture = {
    pid: child.pid ?? -1,
    port: 0,
    async listen(timeoutMs = 10_000) {
      if (listeningPort() === undefined) {
        child.kill("SIGUSR1");
        await awaitLine(() => listeningPort() !== undefined, "LISTENING", timeoutMs);
      }
      fixture.port = listeningPort()!;
      return fixture.port;
    },
    async stop(stopTimeoutMs = 5_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const exited = await waitForExit(child, stopTimeoutMs);
      if (!exited) {
        child.kill("SIGKILL");
        await waitForExit(child, 5_000);
      }
      return result(!exited);
    },
    async waitExit(waitTimeoutMs = 10_000) {
      const exited = await waitForExit(child, waitTimeoutMs);
      if (!exited) {
        child.kill("SIGKILL");
        await waitForExit(child, 5_000);
      }
      return result(!exited);
    },
  };
  const timeoutMs = opts.startTimeoutMs ?? 10_000;
  const started = opts.deferListen
    ? awaitLine(() => /^WAITING$/m.test(stdout), "WAITING", timeoutMs)
    : awaitLine(() => listeningPort() !== undefined, "LISTENING", timeoutMs).then(() => {
        fixture.port = listeningPort()!;
      });
  return started.then(() => fixture);
}

// ---------------------------------------------------------------- bpftrace

export interface BpftraceOptions {
  /** Path of the .bt script. */
  scriptFile: string;
  /** Positional parameters ($1, $2, …), e.g. the fixture's PID and binary path. */
  params?: (string | number)[];
  /** Run with `-f json` (one JSON object per line). */
  json?: boolean;
  /** Extra bpftrace flags placed before the script (e.g. ["-v"]). */
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  attachTimeoutMs?: number;
}

export interface BpftraceSession {
  pid: number;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout satisfies the predicate; rejects after the timeout (with the output so far). */
  waitForOutput(predicate: (stdout: string) => boolean, timeoutMs?: number): Promise<void>;
  /**
   * SIGINT, wait for the exit (and the final map dumps), SIGKILL after the timeout (default 30 s:
   * bpftrace 0.17 detaches uprobes one by one, about 0.1 s each here, several times that on a busy machine).
   */
  stop(timeoutMs?: number): Promise<ExitResult>;
}

/**
 * bpftrace 0.17 can miss a SIGINT: its handler only sets a flag, and a signal that lands between
 * the flag check and the next blocking epoll_wait leaves it asleep until some event arrives (seen
 * here in about 4 of 10 stops shortly after attaching). Repeating the SIGINT every second
 * interrupts that wait; the handler is idempotent, so END and the final map dumps still run once.
 */
async function interruptBpftrace(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (child.exitCode === null && child.signalCode === null) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    child.kill("SIGINT");
    await waitForExit(child, Math.min(1_000, left));
  }
  return true;
}

/**
 * The script as bpftrace runs it here: one whose BEGIN does not already print probec's readiness
 * marker (a hand-written script) gets it, as `probec build` writes it. bpftrace 0.17 runs BEGIN only
 * once every probe is attached (its `attached_probes` line comes ~0.5 s earlier), so the marker is
 * the harness's signal too, not a wait of its own.
 */
export function withReadyMarker(scriptText: string): string {
  if (scriptText.includes(READY_MARKER)) return scriptText;
  const marker = `printf("${READY_MARKER}\\n");`;
  const begin = /^(\s*BEGIN\s*(?:\/\/[^\n]*)?\n?\s*\{)/m;
  return begin.test(scriptText) ? scriptText.replace(begin, `$1 ${marker}`) : `${scriptText}\nBEGIN { ${marker} }\n`;
}

export function startBpftrace(opts: BpftraceOptions): Promise<BpftraceSession> {
  if (!existsSync(opts.scriptFile)) return Promise.reject(new Error(`bpftrace script not found: ${opts.scriptFile}`));
  const original = readFileSync(opts.scriptFile, "utf8");
  const marked = withReadyMarker(original);
  let scriptFile = opts.scriptFile;
  if (marked !== original) {
    scriptFile = join(mkdtempSync(join(tmpdir(), "probec-bt-")), basename(opts.scriptFile));
    writeFileSync(scriptFile, marked);
  }
  const args = [...(opts.json ? ["-f", "json"] : []), ...(opts.extraArgs ?? []), scriptFile, ...(opts.params ?? []).map(String)];
  const child = spawn("bpftrace", args, { stdio: ["ignore", "pipe", "pipe"], env: opts.env ?? process.env });
  track(child);
  let stdout = "";
  let stderr = "";
  const waiters: { predicate: (s: string) => boolean; resolve: () => void }[] = [];
  const check = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.predicate(stdout)) {
        waiters[i]!.resolve();
        waiters.splice(i, 1);
      }
    }
  };
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d.toString("latin1");
    check();
  });
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const describeRun = () => `bpftrace ${args.join(" ")}\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`;

  const session: BpftraceSession = {
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForOutput(predicate, timeoutMs = 10_000) {
      if (predicate(stdout)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const idx = waiters.findIndex((w) => w.resolve === done);
          if (idx >= 0) waiters.splice(idx, 1);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for bpftrace output\n${describeRun()}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.push({ predicate, resolve: done });
        child.once("exit", () => {
          if (!predicate(stdout)) {
            clearTimeout(timer);
            reject(new Error(`bpftrace exited (${child.exitCode ?? child.signalCode}) before the expected output\n${describeRun()}`));
          }
        });
      });
    },
    async stop(timeoutMs = 30_000) {
      const exited = await interruptBpftrace(child, timeoutMs);
      if (!exited) {
        child.kill("SIGKILL");
        await waitForExit(child, 5_000);
      }
      return { stdout, stderr, exitCode: child.exitCode, signal: child.signalCode, killed: !exited };
    },
  };

  return new Promise((resolve, reject) => {
    const timeoutMs = opts.attachTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`bpftrace did not attach its probes within ${timeoutMs} ms\n${describeRun()}`));
    }, timeoutMs);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`bpftrace could not start: ${e.message}`));
    });
    child.once("exit", (code, signal) => {
      if (!stdout.includes(READY_MARKER)) {
        clearTimeout(timer);
        reject(new Error(`bpftrace exited (${code ?? signal}) before attaching\n${describeRun()}`));
      }
    });
    session
      .waitForOutput((s) => s.includes(READY_MARKER), timeoutMs)
      .then(() => {
        clearTimeout(timer);
        resolve(session);
      })
      .catch(() => undefined);
  });
}

// ---------------------------------------------------------------- one traced run

export interface TraceRunOptions<T> {
  /** The built fixture executable. */
  binary: string;
  /** The .bt script. */
  scriptFile: string;
  json?: boolean;
  /** Positional parameters after the script; a function receives the fixture so it can pass its PID. */
  params?: (fixture: { pid: number; binary: string }) => (string | number)[];
  /** Drives traffic once the probes are attached; its result is returned. */
  traffic: (port: number) => Promise<T>;
  /** Start the fixture without a listener and create it only once bpftrace is attached (traces bind/listen). */
  deferListen?: boolean;
  /** bpftrace output that must appear before stopping (e.g. all expected lines); else wait settleMs. */
  until?: (stdout: string) => boolean;
  untilTimeoutMs?: number;
  /** Extra time after traffic for the last events to be printed (default 300 ms). */
  settleMs?: number;
  extraArgs?: string[];
}

export interface TraceRunResult<T> extends ExitResult {
  traffic: T;
  fixturePid: number;
  bpftracePid: number;
  fixture: ExitResult;
  attachedProbes: number;
}

/**
 * Start the fixture, start bpftrace on the script, wait for attachment, run the traffic, stop
 * bpftrace first (stacks are symbolised while the fixture still lives), then the fixture.
 */
export async function traceFixture<T>(opts: TraceRunOptions<T>): Promise<TraceRunResult<T>> {
  const fixture = await startFixture(opts.binary, { deferListen: opts.deferListen });
  let bt: BpftraceSession | undefined;
  try {
    bt = await startBpftrace({
      scriptFile: opts.scriptFile,
      json: opts.json,
      params: opts.params ? opts.params({ pid: fixture.pid, binary: opts.binary }) : [],
      extraArgs: opts.extraArgs,
    });
    const port = await fixture.listen();
    const traffic = await opts.traffic(port);
    if (opts.until) await bt.waitForOutput(opts.until, opts.untilTimeoutMs ?? 10_000);
    await new Promise((r) => setTimeout(r, opts.settleMs ?? 300));
    const out = await bt.stop();
    const fixtureExit = await fixture.stop();
    return {
      ...out,
      traffic,
      fixture: fixtureExit,
      fixturePid: fixture.pid,
      bpftracePid: bt.pid,
      attachedProbes: attachedProbeCount(out.stdout) ?? 0,
    };
  } catch (e) {
    if (bt) await bt.stop(2_000);
    await fixture.stop(2_000);
    throw e;
  }
}

