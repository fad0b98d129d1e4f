// probec check SCRIPT --binary NAME=PATH --binary NAME=PATH2 … [--json]
// Resolves a probe file's points against several binaries (a name may be bound more than once: one
// column per binding) and prints the matrix. Exit 0 when every required point resolves everywhere,
// 1 when one is missing (or the file does not compile, or a binary is unreadable), 2 on bad usage.
import { formatDiagnostics } from "../../diagnostics/index.js";
import { checkFile, formatReportText, type CheckBinding } from "../../check/index.js";
import { parseNameValues } from "../name-value.js";
import { inlineNamespacesFrom, symbolCacheFrom, SYMBOL_OPTIONS, SYMBOL_OPTIONS_HELP } from "../symbol-options.js";
import { parseCommandArgs, UsageError, withUsage } from "../usage-error.js";

const HELP = `Usage: probec check FILE.probe.ts --binary NAME=PATH [--binary NAME=PATH …] [options]

Resolves every uprobe point of a probe file against each binary and prints a matrix: for each point
(its source location and patterns) and each binary, the symbol it resolves to, the alternative
taken, or 'missing'. Give the same NAME several times to compare versions of one program:

  probec check accept-flow.probe.ts --binary envoy=./envoy-1.19 --binary envoy=./envoy-1.37

Exit status: 0 when every required point resolves in every binary, 1 otherwise, 2 on bad usage.

Options:
  --binary NAME=PATH        a binary to check binary("NAME") against (repeatable; one column each)
  --json                    print the matrix as one JSON document
  --define NAME=VALUE       build-time option() of the probe file (repeatable)
${SYMBOL_OPTIONS_HELP}
  -h, --help                show this help`;

export async function main(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const { values, positionals } = parseCommandArgs("check", {
      args: argv,
      allowPositionals: true,
      options: {
        binary: { type: "string", multiple: true },
        json: { type: "boolean" },
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
      throw new UsageError(`probec check: expected one probe file, got ${positionals.length === 0 ? "none" : positionals.length} (see 'probec check --help')`);
    }
    const bindings: CheckBinding[] = parseNameValues("check", "--binary", values.binary, { repeatable: true, valueName: "PATH" }).map(([name, path]) => ({ name, path }));
    if (bindings.length === 0) throw new UsageError("probec check: give at least one --binary NAME=PATH (see 'probec check --help')");
    const defines = Object.fromEntries(parseNameValues("check", "--define", values.define));
    const result = await checkFile(positionals[0]!, bindings, {
      defines,
      cwd: process.cwd(),
      inlineNamespaces: inlineNamespacesFrom(values),
      ...(symbolCacheFrom(values) ? {} : { cache: false }),
    });
    const diagnostics = formatDiagnostics(result.diagnostics, { color: process.stderr.isTTY === true, cwd: process.cwd(), sources: result.sources });
    if (values.json) {
      // The document carries the diagnostics too; stderr keeps the readable form.
      const doc = result.report ?? { script: positionals[0], columns: [], points: [], diagnostics: result.diagnostics, ok: false };
      process.stdout.write(JSON.stringify(doc, null, 2) + "\n");
    } else if (result.report) {
      process.stdout.write(formatReportText(result.report));
    }
    if (diagnostics) process.stderr.write(diagnostics);
    return result.report?.ok === true ? 0 : 1;
  });
}
