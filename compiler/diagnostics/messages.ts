// Every probec diagnostic, one small factory per error, each with its stable code. All stages use
// these (add yours here, in your stage's block from codes.ts), so codes stay unique and messages
// consistent. A factory takes the place it reports (`at`) first, then what the message needs.
import type { SourceLoc } from "../ir/program.js";
import type { DiagnosticCategory, ProbeDiagnostic } from "./diagnostic.js";

/** A place in a probe source plus how many characters to underline. */
export type SourceSpan = SourceLoc & { length?: number };

/**
 * Makes a probec diagnostic at a place with a code: the building block of the factories below, and
 * the way for a stage to report at a `SourceLoc` it got from the IR.
 */
export function createDiagnostic(
  code: number,
  message: string,
  at?: SourceSpan,
  options: { category?: DiagnosticCategory; notes?: string[] } = {},
): ProbeDiagnostic {
  const d: ProbeDiagnostic = { category: options.category ?? "error", code, source: "probec", message };
  if (at) {
    d.loc = { file: at.file, line: at.line, column: at.column };
    if (at.length !== undefined) d.length = at.length;
  }
  if (options.notes && options.notes.length > 0) d.notes = options.notes;
  return d;
}

const q = (s: string) => `'${s}'`;
const didYouMean = (candidates: readonly string[]) =>
  candidates.length > 0 ? ` Did you mean ${candidates.map(q).join(", ")}?` : "";

// ---------------------------------------------------------------- input (9000–9099)

export const fileNotFound = (path: string) => createDiagnostic(9001, `Cannot read probe file ${q(path)}: no such file.`);
export const fileUnreadable = (path: string, reason: string) =>
  createDiagnostic(9002, `Cannot read probe file ${q(path)}: ${reason}.`);
export const unknownDefine = (at: SourceSpan | undefined, name: string, known: readonly string[]) =>
  createDiagnostic(9003, `--define ${q(name)} does not match any option() of the probe file.${didYouMean(known)}`, at);
export const badDefineValue = (at: SourceSpan, name: string, value: string, expected: string) =>
  createDiagnostic(9004, `--define ${name}=${value}: expected ${expected}.`, at);

// ---------------------------------------------------------------- frontend (9100–9299)

export const unsupportedStatement = (at: SourceSpan, what: string, hint = "") =>
  createDiagnostic(9101, `${what} cannot be lowered to bpftrace.${hint ? " " + hint : ""}`, at);
export const unsupportedExpression = (at: SourceSpan, what: string, hint = "") =>
  createDiagnostic(9102, `${what} cannot be lowered to bpftrace.${hint ? " " + hint : ""}`, at);
export const unsupportedCall = (at: SourceSpan, callee: string) =>
  createDiagnostic(
    9103,
    `Call of ${q(callee)} cannot be lowered to bpftrace: a handler may only call probec functions and methods of maps, contexts and values.`,
    at,
  );
export const functionInHandler = (at: SourceSpan) =>
  createDiagnostic(9104, `A function cannot be created inside a handler: bpftrace has no closures.`, at);
export const asyncInHandler = (at: SourceSpan) =>
  createDiagnostic(9105, `Handlers run in the kernel and cannot be async or await.`, at);
export const unsupportedMethod = (at: SourceSpan, receiver: string, method: string, known: readonly string[]) =>
  createDiagnostic(9106, `${receiver} has no method ${q(method)} that probec can lower.${didYouMean(known)}`, at);
export const notCompileTime = (at: SourceSpan, what: string) =>
  createDiagnostic(
    9107,
    `${what} must be known when the probe is built (a literal, a constant, an option or a probec declaration).`,
    at,
  );
export const unknownTracepoint = (at: SourceSpan, name: string, candidates: readonly string[]) =>
  createDiagnostic(
    9108,
    `Unknown tracepoint ${q(name)}: probec's table does not list it and /sys/kernel/tracing/events has no such event.${didYouMean(candidates)}`,
    at,
  );
export const unknownTracepointField = (at: SourceSpan, tracepoint: string, field: string, fields: readonly string[]) =>
  createDiagnostic(9109, `Tracepoint ${q(tracepoint)} has no field ${q(field)}; its fields are ${fields.map(q).join(", ")}.`, at);
export const destructuringParameter = (at: SourceSpan) =>
  createDiagnostic(9110, `A handler's parameter must be a plain name (write \`(f) => …\` and use \`f.arg(0)\`).`, at);
export const nonIntegerNumber = (at: SourceSpan, text: string) =>
  createDiagnostic(9111, `Number ${text} is not an integer: bpftrace has integers only.`, at);
export const localWithoutInitializer = (at: SourceSpan, name: string) =>
  createDiagnostic(9112, `Variable ${q(name)} needs an initial value: bpftrace types a variable by its first assignment.`, at);
export const unsupportedAssignmentTarget = (at: SourceSpan, what: string) =>
  createDiagnostic(9113, `Cannot assign to ${what}: only handler variables can be assigned (use set() for maps).`, at);
export const eventSchemaConflict = (at: SourceSpan, event: string, detail: string) =>
  createDiagnostic(9114, `Event ${q(event)} is emitted with different shapes: ${detail}.`, at);
export const paramConflict = (at: SourceSpan, name: string) =>
  createDiagnostic(9115, `Parameter ${q(name)} is declared twice with different kinds or defaults.`, at);
export const filterNotExpression = (at: SourceSpan) =>
  createDiagnostic(9117, `A \`when\` filter must be an arrow function returning one expression, e.g. \`when: () => pid === envoyPid\`.`, at);
export const recursiveLibraryCall = (at: SourceSpan, name: string) =>
  createDiagnostic(9118, `Library function ${q(name)} calls itself: probe sets are expanded at build time and cannot recurse.`, at);
export const contextOutsideHandler = (at: SourceSpan, what: string) =>
  createDiagnostic(9119, `${what} can only be used inside a probe handler.`, at);
export const notAvailableInProbe = (at: SourceSpan, what: string, probeKind: string) =>
  createDiagnostic(9120, `${what} is not available in a ${probeKind} handler.`, at);
export const stringOperator = (at: SourceSpan, op: string) =>
  createDiagnostic(9122, `Operator ${q(op)} is not defined on strings in bpftrace (only === and !== compare strings).`, at);
export const badInterval = (at: SourceSpan, text: string, expected: string) =>
  createDiagnostic(9123, `Bad period ${q(text)}: expected ${expected}.`, at);
export const unsupportedType = (at: SourceSpan, typeText: string) =>
  createDiagnostic(
    9125,
    `Type ${q(typeText)} cannot be stored in a bpftrace map or event: use i8…u64, ptr, boolean, string, SizedString, UStack/KStack, tuples or records of them.`,
    at,
  );
export const returnWithValue = (at: SourceSpan) =>
  createDiagnostic(9126, `A handler's \`return\` cannot carry a value: bpftrace probes return nothing.`, at);
export const circularImport = (at: SourceSpan, chain: readonly string[]) =>
  createDiagnostic(9127, `Circular import between probe modules: ${chain.join(" → ")}.`, at);
export const noEffect = (at: SourceSpan) =>
  createDiagnostic(9129, `This expression has no effect and is not lowered.`, at, { category: "warning" });
export const printfArgumentCount = (at: SourceSpan, directives: number, args: number) =>
  createDiagnostic(9130, `printf format has ${directives} conversion(s) but ${args} argument(s) follow.`, at);
export const unsupportedOperator = (at: SourceSpan, op: string) =>
  createDiagnostic(9131, `Operator ${q(op)} cannot be lowered to bpftrace.`, at);
export const probeInsideHandler = (at: SourceSpan, what: string) =>
  createDiagnostic(9132, `${what} declares something at build time and cannot be called inside a handler; call it at top level or in a library function.`, at);
export const unsupportedTopLevel = (at: SourceSpan, what: string) =>
  createDiagnostic(
    9133,
    `${what} is not allowed at the top level of a probe module: it is evaluated at build time (declarations, probe calls, library calls and \`if\` on constants only).`,
    at,
  );
export const unknownValue = (at: SourceSpan, name: string) =>
  createDiagnostic(9134, `${q(name)} has no value probec can use here.`, at);
export const mapKeyShape = (at: SourceSpan, map: string, expected: number, got: number) =>
  createDiagnostic(9135, `Map ${q(map)} has ${expected} key part(s) but ${got} were given.`, at);
export const badEventName = (at: SourceSpan, name: string) =>
  createDiagnostic(9136, `Event name ${q(name)} must be an identifier-like string ([A-Za-z_][A-Za-z0-9_.]*).`, at);
export const emptyAlternatives = (at: SourceSpan) =>
  createDiagnostic(9137, `A probe point needs at least one symbol pattern.`, at);
export const unknownMember = (at: SourceSpan, receiver: string, name: string) =>
  createDiagnostic(9138, `${receiver} has no member ${q(name)} that probec can lower.`, at);
export const typeCheckFailed = () =>
  createDiagnostic(9139, `The probe file has type errors; nothing was lowered.`);
export const nonCompileTimeCondition = (at: SourceSpan) =>
  createDiagnostic(9140, `A top-level \`if\` must test something known at build time (an option, a literal or a constant).`, at);
export const printfFormatNotLiteral = (at: SourceSpan) =>
  createDiagnostic(9141, `printf's format must be a string literal or a template literal.`, at);
export const spanNotDeclared = (at: SourceSpan, name: string) =>
  createDiagnostic(9142, `${q(name)} is not declared as a Span in events<…>(); use \`.begin()\`/\`.end()\` only on span events.`, at);
export const integerOutOfRange = (at: SourceSpan, text: string) =>
  createDiagnostic(9150, `Integer ${text} does not fit in 64 bits: bpftrace integers are 64-bit (−2^63 … 2^64−1 as a bit pattern).`, at);
export const constantOverflow = (at: SourceSpan, expression: string, exact: bigint) =>
  createDiagnostic(9151, `Constant ${expression} is ${exact}, which does not fit in 64 bits; bpftrace would wrap it. Write the 64-bit value you mean.`, at);
export const shiftCountOutOfRange = (at: SourceSpan, count: string) =>
  createDiagnostic(9152, `Shift count ${count} is outside 0…63: a 64-bit shift by it is undefined (bpftrace's LLVM folds it to garbage).`, at);
export const constantDivisionByZero = (at: SourceSpan, op: string) =>
  createDiagnostic(9153, `Operator '${op}' by a constant 0: bpftrace's LLVM folds it as undefined behaviour. Test the divisor at run time instead.`, at);
export const runtimeValueAtBuildTime = (at: SourceSpan, what: string) =>
  createDiagnostic(
    9154,
    `${what} runs at build time, but its callback returned a run-time value: the result cannot depend on what the probe reads. Use \`if\` inside the handler instead.`,
    at,
  );
export const frontendInternalError = (at: SourceSpan | undefined, detail: string) =>
  createDiagnostic(9199, `Internal error in probec's front end while compiling this (please report it): ${detail}`, at);
export const valueNotStorable = (at: SourceSpan, what: string) =>
  createDiagnostic(9143, `${what} is not a value that can be stored, compared or printed in bpftrace.`, at);

// ---------------------------------------------------------------- symbols / resolver (9300–9399)

export const unboundBinary = (at: SourceSpan, name: string) =>
  createDiagnostic(9301, `Binary ${q(name)} is not bound: pass --binary ${name}=/path/to/${name}.`, at);
export const noSymbolMatch = (at: SourceSpan, pattern: string, binary: string, candidates: readonly string[]) =>
  createDiagnostic(9302, `No function of binary ${q(binary)} matches ${q(pattern)}.`, at, {
    notes: candidates.length > 0 ? ["nearest candidates:", ...candidates.map((c) => `  ${c}`)] : [],
  });
export const tooManyProbes = (at: SourceSpan | undefined, count: number, limit: number) =>
  createDiagnostic(9303, `The script would attach ${count} probes; bpftrace refuses more than ${limit}. Narrow the patterns.`, at);
export const optionalPointSkipped = (at: SourceSpan, pattern: string, binary: string) =>
  createDiagnostic(9304, `Optional probe point ${q(pattern)} resolved to nothing in ${q(binary)}; skipped.`, at, { category: "warning" });
export const noAlternativeResolved = (at: SourceSpan, patterns: readonly string[], binary: string) =>
  createDiagnostic(9305, `None of the alternatives ${patterns.map(q).join(", ")} resolved in ${q(binary)}.`, at);
export const badPattern = (at: SourceSpan, pattern: string, reason: string) =>
  createDiagnostic(9306, `Bad symbol pattern ${q(pattern)}: ${reason}.`, at);

// ---------------------------------------------------------------- ABI (9400–9499)

export const argKindMismatch = (at: SourceSpan, index: number, requested: string, actualType: string, symbol: string) =>
  createDiagnostic(9401, `Parameter ${index} of ${symbol} is ${q(actualType)}, which cannot be read as ${requested}.`, at);
export const argIndexOutOfRange = (at: SourceSpan, index: number, count: number, symbol: string) =>
  createDiagnostic(9402, `Parameter ${index} does not exist: ${symbol} takes ${count} parameter(s).`, at);
export const readNotSupported = (at: SourceSpan, read: string, reason: string) =>
  createDiagnostic(9403, `Reading ${read} is not supported yet: ${reason}.`, at);
export const thisOnFreeFunction = (at: SourceSpan, symbol: string) =>
  createDiagnostic(9404, `${symbol} is not a member function: it has no \`this\`.`, at);

// ---------------------------------------------------------------- backend (9500–9599)

export const notInBpftraceVersion = (at: SourceSpan | undefined, feature: string, version: string) =>
  createDiagnostic(9501, `${feature} cannot be expressed for bpftrace ${version}.`, at);

// ---------------------------------------------------------------- commands (9600–9699)

export const outputWriteFailed = (path: string, reason: string) =>
  createDiagnostic(9601, `Cannot write ${q(path)}: ${reason}.`);
