// The programmatic API: `run(options)` starts bpftrace on a built script or a probe file and gives
// back an async iterable of typed events, `stop()`, and a promise of the final maps and summary.
import type { Manifest } from "../compiler/ir/manifest.js";
import { loadDemangler } from "./demangler.js";
import type { RunTarget } from "./process/bpftrace-argv.js";
import { prepareBuiltScript, prepareProbeFile, type PreparedScript } from "./prepare-script.js";
import { Session, type LiveCounts } from "./session.js";
import { ProcessStackSymbolizer } from "./symbolize/stack-symbolizer.js";
import type { EventShapes, EventUnion, ProbeEvent, RuntimeItem, RunSummary } from "./types.js";

export interface RunOptions {
  /** A built bpftrace script; its manifest is read from `x.manifest.json` next to `x.bt` unless given. */
  script?: string;
  /** The manifest (object or path) for `script`. */
  manifest?: Manifest | string;
  /** A .probe.ts to build first (with `binaries`). */
  probeFile?: string;
  /** `binary("envoy")` bindings for building a probe file: `{ envoy: "/usr/local/bin/envoy" }`. */
  binaries?: Record<string, string>;
  /** Values of the script's parameters (`param.int("ENVOY_PID")`), by name. */
  params?: Record<string, string | number>;
  /** Trace a running process, or let bpftrace start a command (one string, as bpftrace -c takes it). */
  target?: RunTarget;
  /** Path of bpftrace; default: the first on PATH. */
  bpftrace?: string;
  /** Where a `target.command`'s own stdout goes (it shares bpftrace's): our stderr (default) or nowhere. */
  commandOutput?: "stderr" | "ignore";
  /** bpftrace's stderr lines (warnings) as they come. */
  onStderr?: (line: string) => void;
  /**
   * Decode a recorded `bpftrace -f json` output (a file) with the script's manifest instead of
   * running bpftrace: for output captured elsewhere (`bpftrace -f json x.bt > out.json`).
   */
  replay?: string;
  /** Seconds bpftrace gets to detach and print its maps after stop() before it is killed (default 30: detaching hundreds of uprobes is slow). */
  stopTimeoutSeconds?: number;
}

export interface RunHandle<Shapes extends EventShapes = EventShapes> extends AsyncIterable<EventUnion<Shapes>> {
  /** Every decoded item (events, printf lines, lost counts, map dumps, malformed lines), in order. */
  items(): AsyncIterable<RuntimeItem>;
  /** The same items as `items()`, in order, as arrays of whatever was decoded since the last one (fewer awaits under a flood). */
  itemBatches(): AsyncIterable<RuntimeItem[]>;
  /** Resolves with the number of attached probes once bpftrace says so. */
  readonly attached: Promise<number>;
  /** Resolves when bpftrace has ended (maps decoded); rejects with a RunError if it failed. */
  readonly summary: Promise<RunSummary>;
  /** Stops bpftrace cleanly (SIGINT; it prints its maps) and resolves with the summary. */
  stop(): Promise<RunSummary>;
  /** Kills bpftrace at once (SIGKILL): its maps are lost. For a second Ctrl-C. */
  kill(): void;
  /** Counters so far, for a status line. */
  counts(): LiveCounts;
  /** bpftrace's process id once started. */
  readonly pid: number | undefined;
  /** The manifest the run decodes with (once the script is prepared). */
  readonly manifest: Promise<Manifest>;
}

class Handle<Shapes extends EventShapes> implements RunHandle<Shapes> {
  private session: Session | null = null;
  private iterating = false;
  private stopAsked = false;
  private readonly ready: Promise<Session>;
  readonly summary: Promise<RunSummary>;
  readonly attached: Promise<number>;
  readonly manifest: Promise<Manifest>;
  private manifestResolve!: (m: Manifest) => void;

  constructor(options: RunOptions) {
    this.manifest = new Promise((resolve) => {
      this.manifestResolve = resolve;
    });
    this.ready = this.begin(options);
    this.summary = this.ready.then((s) => s.done);
    this.attached = this.ready.then((s) => s.attached);
    this.summary.catch(() => {});
    this.attached.catch(() => {});
  }

  get pid(): number | undefined {
    return this.session?.pid;
  }

  counts(): LiveCounts {
    return this.session?.counts() ?? { events: 0, lost: 0, malformed: 0, bytes: 0, queued: 0, queueHighWater: 0 };
  }

  private async begin(options: RunOptions): Promise<Session> {
    const prepared = await prepare(options);
    this.manifestResolve(prepared.manifest);
    const demangle = await loadDemangler();
    const session = new Session({
      scriptPath: prepared.scriptPath,
      manifest: prepared.manifest,
      params: options.params ?? {},
      target: options.target,
      bpftrace: options.bpftrace,
      commandOutput: options.commandOutput,
      onStderr: options.onStderr,
      demangle,
      symbolizer: new ProcessStackSymbolizer(demangle),
      stopTimeoutMs: (options.stopTimeoutSeconds ?? 30) * 1000,
      replay: options.replay,
    });
    this.session = session;
    void session.done.then(prepared.cleanup, prepared.cleanup);
    if (this.stopAsked) void session.stop();
    return session;
  }

  async stop(): Promise<RunSummary> {
    this.stopAsked = true;
    if (this.session) return this.session.stop();
    const s = await this.ready;
    return s.stop();
  }

  kill(): void {
    this.stopAsked = true;
    this.session?.kill();
  }

  items(): AsyncIterable<RuntimeItem> {
    return { [Symbol.asyncIterator]: () => this.iterate((i): i is RuntimeItem => true) };
  }

  itemBatches(): AsyncIterable<RuntimeItem[]> {
    if (this.iterating) throw new Error("probec run: a run can be iterated only once");
    this.iterating = true;
    const next = async (): Promise<IteratorResult<RuntimeItem[]>> => {
      const session = await this.ready;
      const batch = await session.queue.nextBatch();
      return batch === undefined ? { done: true, value: undefined } : { done: false, value: batch };
    };
    const iterator: AsyncIterator<RuntimeItem[]> = { next, return: () => this.abandon() };
    return { [Symbol.asyncIterator]: () => iterator };
  }

  /** The consumer stopped early (break, throw): stop bpftrace and drop what is queued. */
  private async abandon<T>(): Promise<IteratorResult<T>> {
    const session = await this.ready.catch(() => null);
    if (session) {
      session.queue.discard();
      await session.stop().catch(() => {});
    }
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): AsyncIterator<EventUnion<Shapes>> {
    return this.iterate((i): i is Extract<RuntimeItem, { kind: "event" }> => i.kind === "event", (i) => i.event as EventUnion<Shapes>);
  }

  private iterate<T extends RuntimeItem, Out = T>(keep: (i: RuntimeItem) => i is T, map: (i: T) => Out = (i) => i as unknown as Out): AsyncIterator<Out> {
    if (this.iterating) throw new Error("probec run: a run can be iterated only once");
    this.iterating = true;
    const next = async (): Promise<IteratorResult<Out>> => {
      const session = await this.ready;
      for (;;) {
        const item = await session.queue.next();
        if (item === undefined) return { done: true, value: undefined };
        if (keep(item)) return { done: false, value: map(item) };
      }
    };
    return {
      next,
      // The consumer stopped early (break, throw): stop bpftrace and drop what is queued.
      return: async (): Promise<IteratorResult<Out>> => {
        const session = await this.ready.catch(() => null);
        if (session) {
          session.queue.discard();
          await session.stop().catch(() => {});
        }
        return { done: true, value: undefined };
      },
    };
  }
}

async function prepare(options: RunOptions): Promise<PreparedScript> {
  if ((options.script === undefined) === (options.probeFile === undefined)) {
    throw new TypeError("probec run: pass exactly one of `script` (a built .bt) or `probeFile` (a .probe.ts)");
  }
  if (options.probeFile !== undefined) return prepareProbeFile(options.probeFile, options.binaries ?? {});
  return prepareBuiltScript(options.script!, options.manifest);
}

/**
 * Runs bpftrace and decodes what it prints. `Shapes` maps event names to their field records (the
 * probe file's emit calls); iterate the result for typed events.
 */
export function run<Shapes extends EventShapes = EventShapes>(options: RunOptions): RunHandle<Shapes> {
  return new Handle<Shapes>(options);
}

export type { ProbeEvent };
