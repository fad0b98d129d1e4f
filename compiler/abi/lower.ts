// Lowers a probe's ABI reads (uArg, uThis, uRet, rawReg) to primitives, once per resolved symbol,
// and groups the symbols whose lowered code is identical into one attachment.
import type { Expr, Probe, ResolvedAttachment, SourceLoc, Stmt } from "../ir/program.js";
import { DEFAULT_STRING_LIMIT } from "../ir/program.js";
import { AbiCode, abiError, abiWarning, type AbiDiagnostic } from "./diagnostics.js";
import { mapExpr, mapStmts, someExpr, type ExprRewrite } from "./ir-map.js";
import { readPlaced, type PlacedValue } from "./readers.js";
import { canonicalRegister, isRegisterName, registerNames } from "./registers.js";
import { SymbolFrame, type AbiBinary, type AbiOptions, type AbiSymbol } from "./symbol-frame.js";

export interface LowerResult {
  /** False when any diagnostic is an error; `attachments` is then empty. */
  ok: boolean;
  attachments: ResolvedAttachment[];
  diagnostics: AbiDiagnostic[];
}

// The same default the front end gives a read's value type, so the event schema and the copy agree.
export { DEFAULT_STRING_LIMIT };

function isAbiRead(e: Expr): boolean {
  return e.kind === "uArg" || e.kind === "uThis" || e.kind === "uRet";
}

/** Lowers one symbol's copy of the filter and body. */
function lowerForSymbol(probe: Probe, frame: SymbolFrame, options: AbiOptions, diagnostics: AbiDiagnostic[]): { filter: Expr | null; body: Stmt[] } {
  const atReturn = probe.attach.kind === "uretprobe";
  const binary = frame.binary;
  const defaultStringLimit = options.defaultStringLimit ?? DEFAULT_STRING_LIMIT;
  const fail = (d: AbiDiagnostic, e: Expr): Expr => {
    diagnostics.push(d);
    return e;
  };
  const read = (v: PlacedValue | AbiDiagnostic, r: Parameters<typeof readPlaced>[1], loc: SourceLoc, original: Expr): Expr => {
    if ("code" in v) return fail(v, original);
    if (v.warning) diagnostics.push(v.warning);
    const out = readPlaced(v, r, { stdlib: binary.stdlib, symbol: frame.name, loc, defaultStringLimit });
    return "code" in out ? fail(out, original) : out;
  };

  const clone = frame.signatureChangingClone;
  const cloneError = (what: string, loc: SourceLoc): AbiDiagnostic =>
    abiError(
      AbiCode.CloneChangedSignature,
      `cannot read ${what} of ${frame.name}: it is a GCC '${clone}' clone, whose parameters are not the ones its signature declares`,
      loc,
      ["narrow the pattern to the function itself, or read registers with the raw escape hatch if you know the clone's convention"],
    );

  let warnedReturn = false;
  const checkReturnAmbiguity = (loc: SourceLoc): void => {
    if (warnedReturn || atReturn) return;
    warnedReturn = true;
    const w = frame.returnAmbiguity(loc);
    if (w) diagnostics.push(w);
  };

  const rewrite: ExprRewrite = (e, stmtLoc) => {
    switch (e.kind) {
      case "uArg": {
        const loc = e.loc ?? stmtLoc;
        if (clone && !atReturn) return fail(cloneError(`argument ${e.index}`, loc), e);
        checkReturnAmbiguity(loc);
        if (atReturn) {
          return fail(
            abiError(AbiCode.ArgumentAtReturn, `argument ${e.index} of ${frame.name} cannot be read in a uretprobe: the registers no longer hold it; read it in a uprobe and keep it in a per-thread map`, loc),
            e,
          );
        }
        if (frame.untyped && (e.read.as === "stringView" || e.read.as === "stdString")) {
          return fail(abiError(AbiCode.NoParameterTypes, `${frame.name} carries no C++ parameter types (not a mangled C++ function), so argument ${e.index} cannot be read as a ${e.read.as === "stringView" ? "string_view" : "std::string"}`, loc), e);
        }
        return read(frame.param(e.index, e.read, loc), e.read, loc, e);
      }
      case "uThis": {
        if (atReturn) return fail(abiError(AbiCode.ArgumentAtReturn, `'this' of ${frame.name} cannot be read in a uretprobe; read it in a uprobe and keep it in a per-thread map`, stmtLoc), e);
        if (clone) return fail(cloneError("'this'", stmtLoc), e);
        checkReturnAmbiguity(stmtLoc);
        return read(frame.thisValue(stmtLoc), { as: "pointer" }, stmtLoc, e);
      }
      case "uRet": {
        const loc = e.loc ?? stmtLoc;
        if (!atReturn) return fail(abiError(AbiCode.ReturnValueAtEntry, `the return value of ${frame.name} exists only in a uretprobe`, loc), e);
        return read(frame.returnValue(e.read, loc), e.read, loc, e);
      }
      case "rawReg": {
        const name = canonicalRegister(binary.arch, e.name);
        if (!isRegisterName(binary.arch, name)) {
          return fail(abiError(AbiCode.UnknownRegister, `'${e.name}' is not a register bpftrace knows on ${binary.arch}; use one of: ${registerNames(binary.arch).join(" ")}`, stmtLoc), e);
        }
        return { kind: "reg", name };
      }
      default:
        return e;
    }
  };
  const filter = probe.filter ? mapExpr(probe.filter, rewrite, probe.loc) : null;
  return { filter, body: mapStmts(probe.body, rewrite) };
}

/**
 * Lowers the ABI reads of a uprobe/uretprobe for each of its resolved symbols in one binary and
 * groups symbols with identical lowered code. Other probe kinds cannot read C++ arguments: any such
 * read is reported, and no attachments are produced.
 */
export function lowerProbe(probe: Probe, symbols: AbiSymbol[], binary: AbiBinary, options: AbiOptions = {}): LowerResult {
  const diagnostics: AbiDiagnostic[] = [];
  if (probe.attach.kind !== "uprobe" && probe.attach.kind !== "uretprobe") {
    if (someExpr(probe.filter, probe.body, isAbiRead)) {
      diagnostics.push(abiError(AbiCode.NotAUserProbe, `C++ arguments, 'this' and return values can only be read in a uprobe or uretprobe, not in a ${probe.attach.kind} probe`, probe.loc));
    }
    return { ok: diagnostics.length === 0, attachments: [], diagnostics };
  }

  const readsThis = someExpr(probe.filter, probe.body, (e) => e.kind === "uThis");
  const readsArgs = someExpr(probe.filter, probe.body, (e) => e.kind === "uArg");
  const groups = new Map<string, ResolvedAttachment>();
  const guessed: SymbolFrame[] = [];
  const declared = probe.attach;
  for (const symbol of symbols) {
    // What the probe declares applies where the symbol itself does not know better.
    const withDeclared: AbiSymbol = {
      ...symbol,
      ...(symbol.returnType === undefined && symbol.view?.returnType === undefined && declared.returns !== undefined ? { returnType: declared.returns } : {}),
      ...(symbol.isMember === undefined && declared.member !== undefined ? { isMember: declared.member } : {}),
    };
    const frame = new SymbolFrame(withDeclared, binary, options, readsThis);
    if (readsArgs && frame.member.reason === "guess") guessed.push(frame);
    const { filter, body } = lowerForSymbol(probe, frame, options, diagnostics);
    const { view: _view, returnType: _returnType, isMember: _isMember, ...ref } = symbol;
    const key = JSON.stringify([filter, body]);
    const group = groups.get(key);
    if (group) group.symbols.push(ref);
    else groups.set(key, { binary: binary.name, symbols: [ref], filter, body });
  }
  if (guessed.length > 0) diagnostics.unshift(memberGuessWarning(guessed, probe.loc));
  const ok = !diagnostics.some((d) => d.category === "error");
  return { ok, attachments: ok ? [...groups.values()] : [], diagnostics: dedupe(diagnostics) };
}

/** One warning per probe for every symbol whose member-or-free decision was a guess from its name. */
function memberGuessWarning(frames: SymbolFrame[], loc: SourceLoc): AbiDiagnostic {
  const describe = (f: SymbolFrame) => `${f.name}: ${f.member.member ? "member, 'this' first" : "free function"} ('${f.member.enclosing}' looks like a ${f.member.member ? "class" : "namespace"})`;
  const first = frames[0];
  const message =
    frames.length === 1
      ? `assumed ${first.name} ${first.member.member ? "is a member function (takes 'this')" : "is a free function"} because '${first.member.enclosing}' looks like a ${first.member.member ? "class" : "namespace"}; declare 'member' on the probe point if that is wrong`
      : `assumed member-or-free for ${frames.length} functions from the case of their enclosing names; declare 'member' on the probe point if that is wrong`;
  return abiWarning(AbiCode.MemberFunctionGuessed, message, loc, frames.length === 1 ? undefined : frames.slice(0, 8).map(describe));
}

/** The same mistake in many overloads is reported once per symbol and message, not per use. */
function dedupe(ds: AbiDiagnostic[]): AbiDiagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = JSON.stringify(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
