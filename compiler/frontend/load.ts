// Loads a probe file and everything it imports into a TypeScript program and type-checks it against
// the DSL. "probec" resolves to this package's DSL (its .d.ts when installed, its sources in a
// checkout), wherever the probe file lives. The library is tailored: a probe needs ES5's core types
// (plus a few later string/array methods) and nothing else (no DOM, no Node), which makes checking several times faster than plain tsc.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ts } from "ts-morph";
import { Project, tsv } from "./typescript.js";
import type { ProbeDiagnostic } from "../diagnostics/diagnostic.js";
import type { SpanOf } from "./source-loc.js";
import { asyncInHandler } from "../diagnostics/messages.js";

export interface LoadedProgram {
  program: ts.Program;
  checker: ts.TypeChecker;
  entry: ts.SourceFile;
  /** The directory holding the DSL's files: declarations from there are probec's own. */
  dslDir: string;
  /** TypeScript's own diagnostics for the probe's files (not for the DSL or libraries). */
  diagnostics: ProbeDiagnostic[];
}

/** The DSL entry: compiled declarations next to the compiled front end, or the sources in a checkout. */
export function findDslEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of ["../../dsl/index.d.ts", "../../dsl/index.ts"]) {
    const p = resolve(here, candidate);
    if (existsSync(p)) return p;
  }
  throw new Error(`probec's DSL is missing next to ${here} (looked for dsl/index.d.ts and dsl/index.ts)`);
}

export function compilerOptions(dslEntry: string): ts.CompilerOptions {
  return {
    target: tsv.ScriptTarget.ES2022,
    module: tsv.ModuleKind.ESNext,
    moduleResolution: tsv.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: [],
    // ES5's core types plus the ES2015/2016 string and array methods a library may compute with.
    lib: ["lib.es5.d.ts", "lib.es2015.core.d.ts", "lib.es2016.array.include.d.ts"],
    paths: { probec: [dslEntry] },
  };
}

/**
 * One project per process: a later compilation (tests, tools compiling several files) reuses the
 * parsed libraries and DSL through TypeScript's old-program reuse; the probe's own files are always
 * read afresh.
 */
let shared: { project: InstanceType<typeof Project>; dslDir: string } | undefined;

function projectFor(dslEntry: string): InstanceType<typeof Project> {
  const dslDir = dirname(dslEntry);
  if (!shared || shared.dslDir !== dslDir) {
    shared = { project: new Project({ compilerOptions: compilerOptions(dslEntry), skipAddingFilesFromTsConfig: true }), dslDir };
  }
  for (const sf of shared.project.getSourceFiles()) {
    if (!sf.getFilePath().startsWith(dslDir + "/")) shared.project.removeSourceFile(sf);
  }
  return shared.project;
}

export function loadProbeProgram(path: string, spanOf: SpanOf): LoadedProgram {
  const dslEntry = findDslEntry();
  const dslDir = dirname(dslEntry);
  const project = projectFor(dslEntry);
  const sf = project.addSourceFileAtPath(path);
  project.resolveSourceFileDependencies();
  const program = project.getProgram().compilerObject;
  const entry = program.getSourceFile(sf.getFilePath())!;
  // Only the probe's files are checked: the DSL is probec's own (and checked when probec is built).
  const raw: ts.Diagnostic[] = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || file.fileName.startsWith(dslDir + "/")) continue;
    raw.push(...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file));
  }
  const diagnostics: ProbeDiagnostic[] = [];
  // An async handler makes TypeScript ask for ES2015's Promise, advice that does not apply: a
  // handler cannot be async at all. probec says so itself (PC9105) at each async function.
  const asyncAdvice = raw.filter((d) => PROMISE_LIB_CODES.has(d.code));
  if (asyncAdvice.length > 0) {
    for (const file of program.getSourceFiles()) {
      if (file.isDeclarationFile || file.fileName.startsWith(dslDir + "/")) continue;
      for (const node of asyncFunctions(file)) diagnostics.push(asyncInHandler(spanOf(node)));
    }
  }
  for (const d of raw) {
    if (asyncAdvice.includes(d) && diagnostics.length > 0) continue;
    if (d.category !== tsv.DiagnosticCategory.Error && d.category !== tsv.DiagnosticCategory.Warning) continue;
    if (d.file && d.file.fileName.startsWith(dslDir)) continue;
    const pd: ProbeDiagnostic = {
      category: d.category === tsv.DiagnosticCategory.Error ? "error" : "warning",
      code: d.code,
      source: "ts",
      message: tsv.flattenDiagnosticMessageText(d.messageText, "\n"),
    };
    if (d.file && d.start !== undefined) {
      // Reuse the node-less position logic: a zero-width span at the error's start.
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      const at = spanOf(d.file);
      pd.loc = { file: at.file, line: line + 1, column: character + 1 };
      pd.length = d.length ?? 1;
    }
    diagnostics.push(pd);
  }
  return { program, checker: program.getTypeChecker(), entry, dslDir, diagnostics };
}

// TS2468 "Cannot find global value 'Promise'", TS2705 "An async function … in ES5 requires the
// 'Promise' constructor", TS2697 "An async function … must return a 'Promise'", TS2583/TS2585
// "Cannot find name 'Promise'… change your target library".
const PROMISE_LIB_CODES = new Set([2468, 2705, 2697, 2583, 2585]);

/** The `async` modifiers of a file's async functions, arrow functions and methods. */
function asyncFunctions(file: ts.SourceFile): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    if (tsv.isFunctionLike(n)) {
      const mod = tsv.canHaveModifiers(n) ? tsv.getModifiers(n)?.find((m) => m.kind === tsv.SyntaxKind.AsyncKeyword) : undefined;
      if (mod) found.push(mod);
    }
    tsv.forEachChild(n, visit);
  };
  visit(file);
  return found;
}
