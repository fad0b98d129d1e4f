// probec build FILE.probe.ts --binary NAME=PATH … [-o OUT.bt] [--bpftrace-version V] [--param NAME=VALUE]
// Compiles a probe file into a bpftrace script and its manifest; diagnostics print like tsc's.
import { parseBpftraceTarget, TargetVersionError, DEFAULT_BPFTRACE_VERSION, NEWEST_BPFTRACE_VERSION } from "../../backend/index.js";
import { formatDiagnostics, hasErrors } from "../../diagnostics/index.js";
import { buildFile } from "../../pipeline/build-file.js";
import { parseNameValues } from "../name-value.js";
import { inlineNamespacesFrom, symbolCacheFrom, SYMBOL_OPTIONS, SYMBOL_OPTIONS_HELP } from "../symbol-options.js";
import { parseCommandArgs, UsageError, withUsage } from "../usage-error.js";

const HELP = `Usage: probec build FILE.probe.ts --binary NAME=PATH … [options]

Compiles a probe file into a bpftrace script (FILE.bt) and its manifest (FILE.manifest.json).

Options:
  --binary NAME=PATH        bind binary("NAME") of the probe file to an executable (repeatable)
  -o, --output OUT.bt       where to write the script; the manifest goes to OUT.manifest.json
  --bpftrace-version V      syntax to write for: ${DEFAULT_BPFTRACE_VERSION} (default) … ${NEWEST_BPFTRACE_VERSION}
  --param NAME=VALUE        value of a param.int/param.str for probec run (repeatable)
  --define NAME=VALUE       build-time option() of the probe file (repeatable)
${SYMBOL_OPTIONS_HELP}
  -h, --help                show this help`;

export async function main(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const { values, positionals } = parseCommandArgs("build", {
      args: argv,
      allowPositionals: true,
      options: {
        binary: { type: "string", multiple: true },
        output: { type: "string", short: "o" },
        "bpftrace-version": { type: "string" },
        param: { type: "string", multiple: true },
        define: { type: "string", multiple: true },
        ...SYMBOL_OPTIONS,
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(HELP + "\n");
      return 0;
    }
    if (positionals.length !== 1) {
      throw new UsageError(`probec build: expected one probe file, got ${positionals.length === 0 ? "none" : positionals.length} (see 'probec build --help')`);
    }
    let target;
    try {
      target = parseBpftraceTarget(values["bpftrace-version"] ?? DEFAULT_BPFTRACE_VERSION);
    } catch (err) {
      if (err instanceof TargetVersionError) throw new UsageError(`probec build: --bpftrace-version: ${err.message}`);
      throw err;
    }
    const binaries = new Map(parseNameValues("build", "--binary", values.binary, { valueName: "PATH" }));
    const params = new Map(parseNameValues("build", "--param", values.param));
    const defines = Object.fromEntries(parseNameValues("build", "--define", values.define));

    const result = await buildFile(positionals[0], {
      binaries,
      ...(values.output !== undefined ? { output: values.output } : {}),
      bpftraceVersion: target.version,
      params,
      defines,
      inlineNamespaces: inlineNamespacesFrom(values),
      ...(symbolCacheFrom(values) ? {} : { symbolCache: false }),
    });
    const text = formatDiagnostics(result.diagnostics, { color: process.stderr.isTTY === true, cwd: process.cwd(), sources: result.sources });
    if (text) process.stderr.write(text);
    if (!result.ok || hasErrors(result.diagnostics)) return 1;
    const probes = result.probeCount ?? 0;
    process.stdout.write(`wrote ${result.paths.script} (${probes} probe${probes === 1 ? "" : "s"}, bpftrace ${target.version}) and ${result.paths.manifest}\n`);
    return 0;
  });
}
