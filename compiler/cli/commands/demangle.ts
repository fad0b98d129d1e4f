// `probec demangle [--json] [NAME…]`: c++filt's behavior and output. With names, each is demangled
// on its own line (invalid names are printed unchanged); without, stdin is filtered like c++filt
// does. `--json` prints the AST of each name instead. Imports only the demangler: start-up is
// most of the cost when demangling a whole binary's names.
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { bulkPrinter, demangle, demangleAppend, parse, DemangleError } from "../../symbols/demangle/index.js";
import { demangleWord, filterBytes } from "../../symbols/demangle/filter.js";
import { parseCommandArgs, withUsage } from "../usage-error.js";

const HELP = `Usage: probec demangle [--json] [NAME…]

Demangles Itanium C++ names exactly like GNU c++filt. With no NAME, reads stdin and demangles
every mangled-looking word in it, copying the rest through.

Options:
  --json      print each name's syntax tree as JSON (one object per line)
  -h, --help  show this help`;

export async function main(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const { values, positionals } = parseCommandArgs("demangle", {
      args: argv,
      allowPositionals: true,
      options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      process.stdout.write(HELP + "\n");
      return 0;
    }
    const names = positionals.length > 0 ? positionals : null;
    if (values.json) return printJson(names ?? readStdinLines());
    if (names !== null) {
      process.stdout.write(names.map((n) => demangleWord(n, demangle)).join("\n") + "\n");
      return 0;
    }
    // Bytes in, bytes out: names are read as latin1 so any byte sequence survives unchanged.
    tuneV8ForBulkDemangling();
    const ballast = youngGenerationBallast();
    const chunks = filterBytes(readFileSync(0), demangleAppend, bulkPrinter());
    ballast.length = 0;
    for (const chunk of chunks) await writeAll(chunk);
    return 0;
  });
}

/**
 * V8 settings for a whole-input run, set at run time (no re-spawn, so free). The demangler is a
 * deep recursive descent: with the default inlining budget TurboFan spent 1.4–4.7 s of compile
 * time (--trace-opt) building huge inlined graphs, on a 2-core machine competing with the names
 * still waiting in the interpreter; capped at 100 bytecodes it is 0.25–0.4 s. Baseline (Sparkplug) code from
 * the first call shortens the interpreter phase, and a young generation that grows 8× at a time
 * (see youngGenerationBallast) cuts the scavenges of the short-lived per-name trees from about
 * 110 to 20. Only compiler and heap-sizing flags: each compile job or GC reads them afresh, so
 * changing them now is safe.
 */
function tuneV8ForBulkDemangling(): void {
  setFlagsFromString("--max-inlined-bytecode-size-cumulative=100 --always-sparkplug --semi-space-growth-factor=8");
}

/**
 * V8 grows the young generation only after a scavenge in which more than its capacity survived.
 * The per-name trees all die young, so it would stay at its initial 1 MB and scavenge about 110
 * times over node's names; this short-lived ballast (about 1.5 MB of small objects, kept until
 * the input is done) survives the first scavenge, so the young generation grows once, by the
 * growth factor above, and scavenges about 20 times.
 */
function youngGenerationBallast(): unknown[] {
  const ballast: unknown[] = [];
  for (let i = 0; i < 1 << 16; i++) ballast.push({ i });
  return ballast;
}

function readStdinLines(): string[] {
  return readFileSync(0, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** One JSON object per name: `{"mangled", "demangled", "ast"}` or `{"mangled", "error": {code, offset, message}}`. */
function printJson(names: string[]): number {
  const lines: string[] = [];
  let failures = 0;
  for (const mangled of names) {
    try {
      const ast = parse(mangled);
      lines.push(JSON.stringify({ mangled, demangled: demangle(mangled), ast }));
    } catch (err) {
      if (!(err instanceof DemangleError)) throw err;
      failures++;
      lines.push(JSON.stringify({ mangled, error: { code: err.code, offset: err.offset, message: err.message } }));
    }
  }
  process.stdout.write(lines.join("\n") + "\n");
  return failures > 0 ? 1 : 0;
}

function writeAll(text: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
