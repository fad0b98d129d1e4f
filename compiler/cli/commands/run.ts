// probec run FILE (.bt or .probe.ts): runs bpftrace on it and prints decoded events.
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import type { Manifest } from "../../ir/manifest.js";
import { parseNameValues } from "../name-value.js";
import { parseCommandArgs, UsageError, withUsage } from "../usage-error.js";

const HELP = `Usage: probec run FILE [options]

Runs bpftrace on FILE and decodes what it prints. FILE is a built script (x.bt, with
x.manifest.json next to it) or a probe file (x.probe.ts), which is built first.

Options:
  -p, --pid PID             trace a running process (bpftrace -p)
  -c, --command CMD         start CMD under bpftrace (one string, as bpftrace -c takes it)
      --param NAME=VALUE    a parameter of the script (repeatable)
      --binary NAME=PATH    bind binary("NAME") when building a .probe.ts (repeatable)
      --format FORMAT       text (default), jsonl, chrome-trace, folded
  -o, --output FILE         write the output to FILE instead of stdout
      --manifest FILE       the manifest of a .bt, if not next to it
      --bpftrace PATH       the bpftrace to run (default: bpftrace on PATH)
      --replay FILE         decode a recorded 'bpftrace -f json' output instead of running bpftrace
                            (the same as probec decode FILE --manifest …; decode also merges several)
  -h, --help                show this help

Ctrl-C (or SIGTERM) stops bpftrace cleanly: its maps are still decoded and printed.
Errors have stable codes (PC9650-PC9659); see the README, "Running probes".`;

/** Batches output into large writes; what is buffered goes out within FLUSH_MS (live viewing). */
const FLUSH_MS = 50;

class OutputWriter {
  private buffer = "";
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly stream: NodeJS.WritableStream | WriteStream) {}

  async write(text: string, flushNow = false): Promise<void> {
    if (text.length === 0 && !flushNow) return;
    this.buffer += text;
    if (this.buffer.length >= 65536 || flushNow) await this.flush();
    else if (this.timer === null && this.buffer.length > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, FLUSH_MS);
    }
  }

  async flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer.length === 0) return;
    const text = this.buffer;
    this.buffer = "";
    if (!this.stream.write(text)) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.stream !== process.stdout) {
      const s = this.stream as WriteStream;
      await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
    }
  }
}

export async function main(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const { values, positionals } = parseCommandArgs("run", {
      args: argv,
      allowPositionals: true,
      options: {
        pid: { type: "string", short: "p" },
        command: { type: "string", short: "c" },
        param: { type: "string", multiple: true },
        binary: { type: "string", multiple: true },
        format: { type: "string" },
        output: { type: "string", short: "o" },
        manifest: { type: "string" },
        bpftrace: { type: "string" },
        replay: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(HELP + "\n");
      return 0;
    }
    const { FORMAT_NAMES, createFormat } = await import("../../../runtime/output/index.js");
    if (positionals.length !== 1) throw new UsageError("probec run: expected one FILE (.bt or .probe.ts)");
    const file = positionals[0];
    const isProbe = file.endsWith(".ts");
    const format = values.format ?? "text";
    if (!(FORMAT_NAMES as readonly string[]).includes(format)) {
      throw new UsageError(`probec run: unknown --format '${format}' (expected ${FORMAT_NAMES.join(", ")})`);
    }
    if (values.pid !== undefined && values.command !== undefined) throw new UsageError("probec run: give either -p or -c, not both");
    if (values.pid !== undefined && !/^\d+$/.test(values.pid)) throw new UsageError(`probec run: -p expects a process id, got '${values.pid}'`);
    if (!isProbe && values.binary) throw new UsageError("probec run: --binary applies only when building a .probe.ts (a .bt has its paths built in)");
    if (isProbe && values.manifest) throw new UsageError("probec run: --manifest applies only to a .bt");
    const params = Object.fromEntries(parseNameValues("run", "--param", values.param));
    const target = values.pid !== undefined ? { pid: Number(values.pid) } : values.command !== undefined ? { command: values.command } : undefined;
    if (values.replay !== undefined && target !== undefined) throw new UsageError("probec run: --replay decodes a recording; -p and -c do not apply");
    const binaries = Object.fromEntries(parseNameValues("run", "--binary", values.binary, { valueName: "PATH" }));

    const { run, RunError } = await import("../../../runtime/index.js");
    const handle = run({
      ...(isProbe ? { probeFile: file, binaries } : { script: file, ...(values.manifest ? { manifest: values.manifest } : {}) }),
      params,
      target,
      bpftrace: values.bpftrace,
      replay: values.replay,
      onStderr: (line) => process.stderr.write(`bpftrace: ${line}\n`),
    });

    let interrupts = 0;
    const onSignal = () => {
      interrupts++;
      if (interrupts === 1) {
        if (process.stderr.isTTY) process.stderr.write("\nprobec: stopping bpftrace (again to kill it)\n");
        void handle.stop().catch(() => {});
      } else handle.kill();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);

    // Text and jsonl on stdout carry the attached line themselves; otherwise say it on stderr, so
    // whoever starts traffic knows when probes fire.
    if (values.output !== undefined || (format !== "text" && format !== "jsonl")) {
      handle.attached.then((n) => process.stderr.write(`probec: attached ${n} probe${n === 1 ? "" : "s"}\n`), () => {});
    }
    const status = process.stderr.isTTY ? startStatusLine(handle.counts.bind(handle)) : null;
    const stream = values.output !== undefined ? createWriteStream(values.output) : process.stdout;
    const writer = new OutputWriter(stream);
    let manifest: Pick<Manifest, "events"> | null = null;
    let output: ReturnType<typeof createFormat> | null = null;
    const ensureOutput = async () => {
      if (output) return output;
      manifest = await handle.manifest;
      output = createFormat(format as (typeof FORMAT_NAMES)[number], manifest);
      await writer.write(output.begin(), false);
      return output;
    };
    try {
      for await (const batch of handle.itemBatches()) {
        const out = await ensureOutput();
        // One string per batch: the writer then sees large chunks, not one call per event.
        let text = "";
        for (const item of batch) text += out.item(item);
        await writer.write(text);
      }
      const summary = await handle.summary;
      status?.stop();
      const out = await ensureOutput();
      await writer.write(out.end(summary), true);
      await writer.close();
      return 0;
    } catch (err) {
      status?.stop();
      if (!(err instanceof RunError)) throw err;
      if (output !== null) {
        await writer.write((output as ReturnType<typeof createFormat>).end(null, err), true);
      }
      await writer.close().catch(() => {});
      process.stderr.write(`probec run: ${err.format({ stderr: false })}\n`);
      return 1;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  });
}

function startStatusLine(counts: () => { events: number; lost: number; malformed: number }): { stop(): void } {
  const started = Date.now();
  let last = { t: started, events: 0 };
  let rate = 0;
  const timer = setInterval(() => {
    const c = counts();
    const now = Date.now();
    rate = ((c.events - last.events) * 1000) / Math.max(1, now - last.t);
    last = { t: now, events: c.events };
    process.stderr.write(`\r\x1b[K${c.events} events  ${rate.toFixed(0)}/s  lost ${c.lost}  malformed ${c.malformed}  ${((now - started) / 1000).toFixed(0)} s`);
  }, 500);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      process.stderr.write("\r\x1b[K");
    },
  };
}
