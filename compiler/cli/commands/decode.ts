// probec decode RECORDED.jsonl… --manifest M.manifest.json: decodes output recorded by plain
// `bpftrace -f json` (the command is in the script's header) into the formats of `probec run`.
import { createWriteStream } from "node:fs";
import { parseCommandArgs, UsageError, withUsage } from "../usage-error.js";

const HELP = `Usage: probec decode RECORDED.jsonl… --manifest M.manifest.json [options]

Decodes output recorded by plain 'bpftrace -f json' (the exact command is in the header of the
script probec build wrote) into the typed records and formats of 'probec run'. Several
recordings (one per node or pod) merge into one timeline: each is labelled (its probec_label
line, else its file name) and its clock starts at its own first event, since bpftrace's
timestamps of different hosts are not comparable.

Options:
      --manifest FILE       the manifest probec build wrote next to the script (required)
      --format FORMAT       text (default), jsonl, chrome-trace, folded
  -o, --output FILE         write the output to FILE instead of stdout
      --label NAME          the label of each recording, in order (repeatable)
      --maps FILE           a saved /proc/PID/maps of a traced process, to symbolise bare stack
                            addresses of its PIE binaries (repeatable)
  -h, --help                show this help

Problems are reported as FILE:LINE: error PC9680-PC9683 (see docs/fleet.md); the lines that
decode are still written, and the exit status is 1.`;

export async function main(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const { values, positionals } = parseCommandArgs("decode", {
      args: argv,
      allowPositionals: true,
      options: {
        manifest: { type: "string" },
        format: { type: "string" },
        output: { type: "string", short: "o" },
        label: { type: "string", multiple: true },
        maps: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(HELP + "\n");
      return 0;
    }
    if (positionals.length === 0) throw new UsageError("probec decode: expected one or more recordings (see 'probec decode --help')");
    if (values.manifest === undefined) throw new UsageError("probec decode: --manifest M.manifest.json is required (probec build writes it next to the script)");
    const labels = values.label ?? [];
    if (labels.length > positionals.length) throw new UsageError(`probec decode: ${labels.length} --label for ${positionals.length} recording${positionals.length === 1 ? "" : "s"}`);
    const { FORMAT_NAMES, createFormat } = await import("../../../runtime/output/index.js");
    const format = values.format ?? "text";
    if (!(FORMAT_NAMES as readonly string[]).includes(format)) {
      throw new UsageError(`probec decode: unknown --format '${format}' (expected ${FORMAT_NAMES.join(", ")})`);
    }
    const { loadManifest } = await import("../../../runtime/prepare-script.js");
    const { RunError } = await import("../../../runtime/run-error.js");
    let manifest;
    try {
      manifest = await loadManifest(values.manifest);
    } catch (err) {
      if (!(err instanceof RunError)) throw err;
      process.stderr.write(`probec decode: ${values.manifest}: ${err.format()}\n`);
      return 1;
    }
    const { decodeRecordings } = await import("../../../runtime/offline/decode-recordings.js");
    const { formatDecodeProblem } = await import("../../../runtime/offline/decode-error.js");
    const { loadDemangler } = await import("../../../runtime/demangler.js");
    const decoded = decodeRecordings({
      manifest,
      recordings: positionals.map((path, i) => ({ path, ...(labels[i] !== undefined ? { label: labels[i] } : {}) })),
      mapsFiles: values.maps ?? [],
      demangle: await loadDemangler(),
      onStderr: (label, line) => process.stderr.write(`bpftrace (${label}): ${line}\n`),
    });
    const out = createFormat(format as (typeof FORMAT_NAMES)[number], manifest);
    let text = out.begin();
    for (const item of decoded.items) text += out.item(item);
    text += out.end(decoded.summary);
    const stream = values.output !== undefined ? createWriteStream(values.output) : process.stdout;
    await new Promise<void>((resolve, reject) => {
      stream.once("error", reject);
      if (stream === process.stdout) stream.write(text, () => resolve());
      else (stream as ReturnType<typeof createWriteStream>).end(text, () => resolve());
    });
    for (const p of decoded.problems) process.stderr.write(`probec decode: ${formatDecodeProblem(p)}\n`);
    return decoded.problems.length > 0 ? 1 : 0;
  });
}
