// One run of bpftrace: spawn (argv only), split its stdout into lines, decode them, hand items to
// the consumer with back-pressure, collect the summary, and make sure bpftrace never outlives us.
import { spawn, type ChildProcess } from "node:child_process";
import { createReadStream, readlinkSync } from "node:fs";
import type { Readable } from "node:stream";
import { LineSplitter } from "./line-splitter.js";
import type { Manifest } from "../compiler/ir/manifest.js";
import { LineDecoder } from "./decode/line-decoder.js";
import type { Demangler, StackFrame } from "./decode/stack.js";
import { ItemQueue } from "./item-queue.js";
import { bpftraceInvocation, type RunTarget } from "./process/bpftrace-argv.js";
import { classifyFailure, isHarmlessStderr } from "./process/bpftrace-failure.js";
import { findOnPath, locateBpftrace } from "./process/locate-bpftrace.js";
import { RUN_ERRORS, RunError } from "./run-error.js";
import { childPids } from "./symbolize/process-maps.js";
import type { StackSymbolizer } from "./symbolize/stack-symbolizer.js";
import type { DecodedMap, FieldValue, MalformedLine, RuntimeItem, RunSummary } from "./types.js";

const MALFORMED_SAMPLES = 10;
const STDERR_KEEP = 200;
/** How often the traced processes' mappings are read again (libraries load late, -c children exec). */
const MAPS_REFRESH_MS = 500;
const MAPS_FAST_MS = 20;
const SIGINT_REPEAT_MS = 1000;
const MAPS_FAST_TICKS = 100;

function exeOf(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

/** Children still alive, killed when this process exits however it exits (short of SIGKILL). */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const c of live) c.kill("SIGKILL");
    });
  }
  live.add(child);
}

function symbolizeEvent(fields: Record<string, FieldValue>, symbolizer: StackSymbolizer): void {
  for (const [name, v] of Object.entries(fields)) {
    if (Array.isArray(v) && v.length > 0 && typeof v[0] === "object" && v[0] !== null && "address" in v[0]) {
      const frames = v as StackFrame[];
      if (frames.some((f) => f.symbol === null)) fields[name] = symbolizer.symbolizeFrames(frames);
    }
  }
}

export interface SessionOptions {
  scriptPath: string;
  manifest: Manifest;
  params: Record<string, string | number>;
  target?: RunTarget;
  bpftrace?: string;
  /** Where the traced command's own output goes: our stderr (default) or nowhere. */
  commandOutput?: "stderr" | "ignore";
  /** Each stderr line of bpftrace (harmless ones dropped), as it comes. */
  onStderr?: (line: string) => void;
  demangle?: Demangler;
  /** Places bare-address frames (stacks printed after their process went) in files and symbols. */
  symbolizer?: StackSymbolizer;
  /** Decode this recorded `bpftrace -f json` output instead of running bpftrace. */
  replay?: string;
  /** How long bpftrace gets to print its maps after SIGINT before it is killed. */
  stopTimeoutMs?: number;
  /** Queue bounds (items) for back-pressure. */
  queueHigh?: number;
  queueLow?: number;
}

export interface LiveCounts {
  events: number;
  lost: number;
  malformed: number;
  bytes: number;
  queued: number;
  queueHighWater: number;
}

/** Whether a map declaration (or any part of one) holds a ustack/kstack type. */
function mentionsStack(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(mentionsStack);
  if (typeof v !== "object" || v === null) return false;
  const kind = (v as { kind?: unknown }).kind;
  return kind === "ustack" || kind === "kstack" || Object.values(v).some(mentionsStack);
}

export class Session {
  readonly queue: ItemQueue<RuntimeItem>;
  private child: ChildProcess | null = null;
  /** What output is read from: bpftrace's stdout, or a recorded file. */
  private source: Readable | null = null;
  private readonly decoder: LineDecoder;
  private readonly stderrLines: string[] = [];
  private readonly perEvent: Record<string, number> = {};
  private totalEvents = 0;
  private lost = 0;
  private malformed = 0;
  private readonly malformedSamples: MalformedLine[] = [];
  private printfLines = 0;
  private foreignLines = 0;
  private attachedProbes: number | null = null;
  private isReady = false;
  private readonly maps: DecodedMap[] = [];
  private readonly pids = new Set<number>();
  private bytes = 0;
  private stopRequested = false;
  private exited = false;
  private readonly startedAt = Date.now();
  private killTimer: NodeJS.Timeout | null = null;
  private mapsTimer: NodeJS.Timeout | null = null;
  private attachedResolve!: (n: number) => void;
  private attachedReject!: (err: unknown) => void;
  readonly attached: Promise<number>;
  readonly done: Promise<RunSummary>;

  constructor(private readonly opts: SessionOptions) {
    this.decoder = new LineDecoder(opts.manifest, { demangle: opts.demangle });
    this.eventsWithStacks = new Set(
      opts.manifest.events.filter((e) => e.fields.some((f) => f.type.kind === "ustack" || f.type.kind === "kstack")).map((e) => e.name),
    );
    this.queue = new ItemQueue<RuntimeItem>(
      { pause: () => this.source?.pause(), resume: () => this.source?.resume() },
      opts.queueHigh,
      opts.queueLow,
    );
    this.attached = new Promise((resolve, reject) => {
      this.attachedResolve = resolve;
      this.attachedReject = reject;
    });
    this.attached.catch(() => {});
    this.done = this.start();
    this.done.catch(() => {});
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  counts(): LiveCounts {
    return {
      events: this.totalEvents,
      lost: this.lost,
      malformed: this.malformed,
      bytes: this.bytes,
      queued: this.queue.length,
      queueHighWater: this.queue.highWater,
    };
  }

  /** Asks bpftrace to stop (SIGINT: it prints its maps and exits); kills it if it does not in time. */
  stop(): Promise<RunSummary> {
    if (!this.stopRequested) {
      this.stopRequested = true;
      const child = this.child;
      if (child && !this.exited) {
        child.kill("SIGINT");
        // bpftrace 0.17 checks for SIGINT between waits for perf events: one that lands just
        // before it blocks again goes unnoticed until the next event, which may never come.
        // SIGINT is idempotent for it, so repeat it until it exits, and kill it at the deadline.
        const deadline = Date.now() + (this.opts.stopTimeoutMs ?? 30_000);
        const nudge = () => {
          if (this.exited) return;
          if (Date.now() >= deadline) {
            child.kill("SIGKILL");
            return;
          }
          child.kill("SIGINT");
          this.killTimer = setTimeout(nudge, SIGINT_REPEAT_MS);
          this.killTimer.unref();
        };
        this.killTimer = setTimeout(nudge, SIGINT_REPEAT_MS);
        this.killTimer.unref();
      }
    }
    return this.done;
  }

  /** Kills bpftrace now (second Ctrl-C, or the consumer has gone). */
  kill(): void {
    this.stopRequested = true;
    if (this.child && !this.exited) this.child.kill("SIGKILL");
  }

  private async start(): Promise<RunSummary> {
    try {
      return await this.runChild();
    } catch (err) {
      this.queue.end(err);
      this.attachedReject(err);
      throw err;
    }
  }

  private spawnChild(): ChildProcess {
    const bpftrace = locateBpftrace(this.opts.bpftrace);
    const inv = bpftraceInvocation(this.opts.scriptPath, this.opts.manifest, this.opts.params, this.opts.target);
    // setpriv --pdeathsig makes the kernel kill bpftrace even if probec itself is SIGKILLed.
    const setpriv = findOnPath("setpriv");
    const [file, args] = setpriv ? [setpriv, ["--pdeathsig", "KILL", "--", bpftrace, ...inv.args]] : [bpftrace, inv.args];
    // bpftrace's stdout is shared with a -c command; the command's own lines are routed below.
    return spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...inv.env } });
  }

  private runChild(): Promise<RunSummary> {
    if (this.opts.replay !== undefined) return this.runReplay(this.opts.replay);
    const child = this.spawnChild();
    this.child = child;
    this.source = child.stdout;
    track(child);
    if (this.stopRequested) child.kill("SIGINT");
    this.watchMappings();
    return new Promise<RunSummary>((resolve, reject) => {
      let spawnError: Error | null = null;
      child.on("error", (err) => {
        spawnError = err;
      });
      const out = new LineSplitter((line) => this.line(line));
      child.stdout!.setEncoding("utf8");
      child.stdout!.on("data", (chunk: string) => {
        this.bytes += chunk.length;
        out.push(chunk);
      });
      const err = new LineSplitter((line) => this.stderrLine(line));
      child.stderr!.setEncoding("utf8");
      child.stderr!.on("data", (chunk: string) => err.push(chunk));
      child.on("close", (code, signal) => {
        this.exited = true;
        live.delete(child);
        if (this.killTimer) clearTimeout(this.killTimer);
        if (this.mapsTimer) clearInterval(this.mapsTimer);
        out.flush(); // a partial last line: decoded (and reported) as is
        err.flush();
        for (const item of this.decoder.finish()) this.item(item);
        void this.finish(code, signal, spawnError).then(resolve, reject);
      });
    });
  }

  /** Decodes a recorded `bpftrace -f json` output instead of running bpftrace. */
  private runReplay(path: string): Promise<RunSummary> {
    return new Promise<RunSummary>((resolve, reject) => {
      const input = createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 16 });
      this.source = input;
      const out = new LineSplitter((line) => this.line(line));
      input.on("data", (chunk) => {
        this.bytes += chunk.length;
        out.push(chunk as string);
      });
      input.on("error", (e) => reject(new RunError(RUN_ERRORS.scriptUnavailable, `cannot read recorded output '${path}': ${e.message}`)));
      input.on("end", () => {
        this.exited = true;
        out.flush();
        for (const item of this.decoder.finish()) this.item(item);
        void this.finish(0, null, null).then(resolve, reject);
      });
    });
  }

  private async finish(code: number | null, signal: NodeJS.Signals | null, spawnError: Error | null): Promise<RunSummary> {
    if (spawnError) throw new RunError(RUN_ERRORS.bpftraceDied, `could not start bpftrace: ${spawnError.message}`);
    const exit = { code, signal };
    // SIGINT from us is a clean stop; a SIGKILL after our timeout too (the summary says so).
    const clean = code === 0 || (this.stopRequested && (signal === "SIGINT" || signal === "SIGKILL" || signal === "SIGTERM"));
    this.opts.symbolizer?.symbolizeMaps(this.maps);
    if (!clean) {
      throw classifyFailure(this.stderrLines, exit, this.opts.manifest.lineMap);
    }
    const summary: RunSummary = {
      events: { ...this.perEvent },
      totalEvents: this.totalEvents,
      lost: this.lost,
      malformed: this.malformed,
      malformedSamples: [...this.malformedSamples],
      printfLines: this.printfLines,
      foreignLines: this.foreignLines,
      attachedProbes: this.attachedProbes,
      maps: this.maps,
      backlogHighWater: this.queue.highWater,
      exit: { code, signal },
      durationMs: Date.now() - this.startedAt,
    };
    this.queue.end();
    // A run that ended cleanly without attaching (exit() in BEGIN) has nothing more to wait for.
    this.attachedResolve(this.attachedProbes ?? 0);
    return summary;
  }

  /** Every probe is attached: announce it (`# attached`, the jsonl record) and resolve `attached`. */
  private ready(): void {
    this.isReady = true;
    this.noteTargets();
    const probes = this.attachedProbes ?? 0;
    this.queue.push({ kind: "attached", probes });
    this.attachedResolve(probes);
  }

  /** The processes whose addresses stacks will hold: the -p target, bpftrace's -c child. */
  private noteTargets(): void {
    const symbolizer = this.opts.symbolizer;
    const pid = this.child?.pid;
    if (!symbolizer || pid === undefined) return;
    const target = this.opts.target;
    if (target && "pid" in target) this.pids.add(target.pid);
    // A -c child runs bpftrace's own image until it execs the command: skip it until then.
    const own = exeOf(pid);
    for (const c of childPids(pid)) if (exeOf(c) !== own) this.pids.add(c);
    for (const p of this.pids) symbolizer.notePid(p);
  }

  private watchMappings(): void {
    // Reading /proc every 20 ms costs the reader time under a flood: only worth it when stacks can come.
    if (!this.opts.symbolizer || (this.eventsWithStacks.size === 0 && !mentionsStack(this.opts.manifest.maps))) return;
    this.noteTargets();
    // Often at first (a short-lived -c command), then at a calmer pace.
    let ticks = 0;
    const tick = () => {
      this.noteTargets();
      ticks++;
      if (ticks === MAPS_FAST_TICKS && !this.exited) {
        clearInterval(this.mapsTimer!);
        this.mapsTimer = setInterval(() => this.noteTargets(), MAPS_REFRESH_MS);
        this.mapsTimer.unref();
      }
    };
    this.mapsTimer = setInterval(tick, MAPS_FAST_MS);
    this.mapsTimer.unref();
  }

  private stderrLine(line: string): void {
    if (line.trim() === "" || isHarmlessStderr(line)) return;
    this.stderrLines.push(line);
    if (this.stderrLines.length > STDERR_KEEP) this.stderrLines.splice(0, this.stderrLines.length - STDERR_KEEP);
    this.opts.onStderr?.(line);
  }

  private readonly sink = (item: RuntimeItem): void => this.item(item);
  /** Events that have a stack field: only those can hold frames to symbolise. */
  private readonly eventsWithStacks: Set<string>;

  private line(text: string): void {
    this.decoder.decodeInto(text, this.sink);
  }

  private item(item: RuntimeItem): void {
    switch (item.kind) {
      case "event": {
        const name = item.event.event;
        this.perEvent[name] = (this.perEvent[name] ?? 0) + 1;
        this.totalEvents++;
        if (this.opts.symbolizer) {
          if (!this.pids.has(item.event.pid)) {
            this.pids.add(item.event.pid);
            this.opts.symbolizer.notePid(item.event.pid);
          }
          if (this.eventsWithStacks.has(name)) symbolizeEvent(item.event.fields, this.opts.symbolizer);
        }
        break;
      }
      case "lost":
        this.lost += item.count;
        break;
      case "malformed":
        this.malformed++;
        if (this.malformedSamples.length < MALFORMED_SAMPLES) this.malformedSamples.push(item.malformed);
        break;
      case "ready":
        if (!this.isReady) this.ready();
        return; // probec's own line, not the user's output
      case "printf":
        this.printfLines++;
        break;
      case "foreign":
        this.foreignLines++;
        if (this.opts.commandOutput !== "ignore") process.stderr.write(`${item.text}\n`);
        return; // the command's output is not bpftrace's: not queued
      case "attached":
        this.attachedProbes = item.probes;
        // bpftrace says this before its uprobes are live; the script's BEGIN marker comes when they are.
        if (this.opts.manifest.readyMarker !== undefined) return;
        this.noteTargets();
        this.attachedResolve(item.probes);
        break;
      case "map":
        this.maps.push(item.map);
        break;
    }
    this.queue.push(item);
  }
}
