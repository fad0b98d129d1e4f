#!/usr/bin/env node
// The probec command line. Each command lives in its own module and is imported only when it runs,
// so `probec symbols` and `probec demangle` never load the TypeScript front end.
import { readFileSync } from "node:fs";

interface CommandEntry {
  summary: string;
  load: () => Promise<{ main: (argv: string[]) => Promise<number> }>;
  /**
   * The command has nothing left pending once its main resolves (its output is written
   * synchronously or awaited), so the process may end right there: a natural exit first tears the
   * Node environment down and waits for V8's background compile jobs, 5–10 ms of a one-shot
   * `probec symbols` that takes ~110 ms after Node's start-up.
   */
  exitWhenDone?: boolean;
}

const commands: Record<string, CommandEntry> = {
  build: { summary: "compile a .probe.ts into a bpftrace script and its manifest", load: () => import("./commands/build.js") },
  run: { summary: "run a probe script (or a built .bt) and decode what bpftrace prints", load: () => import("./commands/run.js") },
  decode: { summary: "decode recordings of plain 'bpftrace -f json' (one or many hosts) with a manifest", load: () => import("./commands/decode.js") },
  deploy: { summary: "write the Kubernetes objects that run a built script on the nodes of target pods", load: () => import("./commands/deploy.js") },
  check: { summary: "resolve a probe script against several binaries and print the matrix", load: () => import("./commands/check.js") },
  symbols: { summary: "list a binary's function symbols matching C++ patterns", load: () => import("./commands/symbols.js"), exitWhenDone: true },
  demangle: { summary: "demangle Itanium C++ names like c++filt (--json prints the AST)", load: () => import("./commands/demangle.js"), exitWhenDone: true },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    "probec — typed eBPF probes for C++ servers",
    "",
    "Usage: probec <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Options:",
    "  -h, --help     show help (also: probec <command> --help)",
    "  -V, --version  print the version",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    process.stdout.write(help() + "\n");
    return 0;
  }
  if (first === "-V" || first === "--version") {
    process.stdout.write(version() + "\n");
    return 0;
  }
  const entry = Object.hasOwn(commands, first) ? commands[first] : undefined;
  if (!entry) {
    const what = first.startsWith("-") ? `unknown option '${first}'` : `unknown command '${first}'`;
    process.stderr.write(`probec: ${what} (see 'probec --help')\n`);
    return 2;
  }
  const mod = await entry.load();
  const code = await mod.main(rest);
  if (entry.exitWhenDone === true) exitOnceFlushed(code);
  return code;
}

/** Ends the process as soon as stdout has taken everything written to it. */
function exitOnceFlushed(code: number): void {
  if (process.stdout.writableLength === 0) process.exit(code);
  process.stdout.once("drain", () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // An uncaught error here is a bug in probec, not in the user's input: say so plainly.
    process.stderr.write(`probec: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 70;
  },
);
