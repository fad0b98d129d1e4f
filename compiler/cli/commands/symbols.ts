// `probec symbols BINARY [PATTERN…]`: the function symbols of a binary that match C++ patterns,
// one per line `ADDRESS SIZE DEMANGLED`. Loads only the symbol engine, never the TypeScript front end.
import { inlineNamespacesFrom, symbolCacheFrom, SYMBOL_OPTIONS, SYMBOL_OPTIONS_HELP } from "../symbol-options.js";
import { parseCommandArgs, UsageError, withUsage } from "../usage-error.js";

const USAGE = `Usage: probec symbols BINARY [PATTERN…] [options]

List the function symbols of BINARY that match C++ patterns (every function when none is given),
one per line and address: ADDRESS (hex) SIZE (bytes) DEMANGLED, then [aliases: MANGLED, …]
when other names share the address (C1/C2 constructors, D1/D2 destructors, aliases).

Patterns:  Ns::Class::method            every overload
           Ns::Class::method(int, absl::string_view)   one overload
           Envoy::**::onAccept          '**' spans any number of namespaces/classes
           *Listener*::on*              '*' inside a name
           Ns::Class::Class, Ns::Class::~Class         constructors, destructors
           Ns::Class::method::{lambda}  the static invokers of the lambdas inside method
           _ZN…                         an exact mangled name

Options:
  --mangled                 also print the mangled name (ADDRESS SIZE MANGLED DEMANGLED)
  --json                    print a JSON array of {mangled, demangled, address, size, fileOffset,
                            params, aliases, pattern}
  --limit N                 most functions one pattern may match (default 512, bpftrace 0.17's limit)
${SYMBOL_OPTIONS_HELP}
  -h, --help                show this help`;

interface OutputRow {
  mangled: string;
  demangled: string;
  address: number;
  size: number;
  fileOffset: number | null;
  params: string[] | null;
  aliases?: string[];
  pattern?: string;
}

export async function main(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const { values, positionals } = parseCommandArgs("symbols", {
      args: argv,
      allowPositionals: true,
      options: {
        mangled: { type: "boolean" },
        json: { type: "boolean" },
        ...SYMBOL_OPTIONS,
        limit: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help === true) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const [binaryPath, ...patterns] = positionals;
    if (binaryPath === undefined) throw new UsageError("probec symbols: missing BINARY (see 'probec symbols --help')");
    let limit: number | undefined;
    if (values.limit !== undefined) {
      if (!/^[1-9]\d*$/.test(values.limit)) throw new UsageError(`probec symbols: --limit needs a positive integer, not '${values.limit}'`);
      limit = Number(values.limit);
    }
    const inlineNamespaces = inlineNamespacesFrom(values);

    const engine = await import("../../symbols/resolve/index.js");
    let binary: InstanceType<typeof engine.SymbolBinary> | undefined;
    try {
      binary = engine.openBinary(binaryPath);
      if (binary.elf.stripped) {
        process.stderr.write(`probec symbols: note: ${binaryPath} has no .symtab (stripped); only the functions exported in .dynsym are visible\n`);
      }
      let rows: OutputRow[];
      let failed = false;
      if (patterns.length === 0) {
        rows = engine.listFunctions(binary);
      } else {
        const resolution = engine.resolvePatterns(binary, patterns, { inlineNamespaces, limit, cache: symbolCacheFrom(values) });
        const byAddress = new Map<number, OutputRow>();
        for (const r of resolution.patterns) {
          if (r.error !== null) {
            process.stderr.write(`probec symbols: ${r.error.code}: ${oneLine(r.error.message)}\n`);
            failed = true;
            continue;
          }
          for (const m of r.matches) {
            const seen = byAddress.get(m.address);
            if (seen) {
              // Another pattern matched another name of the same function: one entry, more aliases.
              const names = new Set([...(seen.aliases ?? []), ...m.aliases, m.mangled]);
              names.delete(seen.mangled);
              seen.aliases = [...names].sort();
              continue;
            }
            byAddress.set(m.address, { mangled: m.mangled, demangled: m.demangled, address: m.address, size: m.size, fileOffset: m.fileOffset, params: m.params, aliases: m.aliases, pattern: r.pattern });
          }
        }
        rows = [...byAddress.values()].sort((a, b) => a.address - b.address);
      }
      process.stdout.write(values.json === true ? `${JSON.stringify(rows, null, 1)}\n` : formatLines(rows, values.mangled === true));
      return failed ? 1 : 0;
    } catch (err) {
      if (err instanceof engine.ElfError) {
        process.stderr.write(`probec symbols: ${err.code}: ${binaryPath}: ${oneLine(err.message)}\n`);
        return 1;
      }
      if (err instanceof engine.PatternError) {
        process.stderr.write(`probec symbols: ${err.code}: ${oneLine(err.message)}\n`);
        return 1;
      }
      throw err;
    } finally {
      binary?.close();
    }
  });
}

function formatLines(rows: OutputRow[], mangled: boolean): string {
  const lines = rows.map((r) => {
    const addr = r.address.toString(16).padStart(16, "0");
    // Other names of the same function follow on the same line, mangled (C1/C2 demangle alike).
    const also = r.aliases && r.aliases.length > 0 ? ` [aliases: ${r.aliases.join(", ")}]` : "";
    return (mangled ? `${addr} ${r.size} ${r.mangled} ${r.demangled}` : `${addr} ${r.size} ${r.demangled}`) + also;
  });
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ");
}
