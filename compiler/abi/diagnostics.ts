// The ABI stage's diagnostics, in the shared shape (compiler/diagnostics) and the ABI block of codes
// (9400–9499). Every message names the symbol and, where it matters, the real C++ type.
import { createDiagnostic, type ProbeDiagnostic } from "../diagnostics/index.js";
import type { SourceLoc } from "../ir/program.js";

export const AbiCode = {
  /** The requested read does not fit the parameter's C++ type (stringView of an `int`). */
  ReadDoesNotFitType: 9401,
  /** `f.arg(n)` past the end of the parameter list. */
  ArgIndexOutOfRange: 9402,
  /** `this` read of a function that is not a member function (or a static one). */
  NoThis: 9404,
  /** The parameter cannot be placed (an unknown class by value before it, `...`, a bad type). */
  CannotPlaceParameter: 9410,
  /** The value lives in a vector register (float/double), which bpftrace cannot read. */
  VectorRegister: 9411,
  /** The symbol carries no parameter types (a C function): only word-sized reads are allowed. */
  NoParameterTypes: 9412,
  /** An argument read in a uretprobe: the registers no longer hold the arguments. */
  ArgumentAtReturn: 9413,
  /** A return-value read in a probe that is not a uretprobe. */
  ReturnValueAtEntry: 9414,
  /** probec guessed whether a function is a member function from its name (a warning). */
  MemberFunctionGuessed: 9415,
  /** A string limit outside what bpftrace can copy. */
  BadStringLimit: 9416,
  /** The return value's type is needed and not known. */
  ReturnTypeUnknown: 9417,
  /** A raw register name that bpftrace's reg() does not accept on this architecture. */
  UnknownRegister: 9418,
  /** Argument reads in a probe that is not a uprobe/uretprobe. */
  NotAUserProbe: 9419,
  /** Argument reads in a GCC clone (`.isra`, `.constprop`, `.part`), whose parameters are not the signature's. */
  CloneChangedSignature: 9420,
  /** An integer read of an unknown by-value type: assumed to be an enum (a warning). */
  AssumedEnum: 9421,
  /**
   * x86-64: a function tagged `[abi:cxx11]` returns a std::__cxx11 type (std::string, …); by value,
   * its hidden result pointer would move `this` and the arguments by one register (a warning).
   */
  ReturnMayMoveArguments: 9422,
} as const;

export type AbiCodeValue = (typeof AbiCode)[keyof typeof AbiCode];

export type AbiDiagnostic = ProbeDiagnostic;

export function abiError(code: AbiCodeValue, message: string, loc?: SourceLoc, notes?: string[]): AbiDiagnostic {
  return createDiagnostic(code, message, loc, notes ? { notes } : {});
}

export function abiWarning(code: AbiCodeValue, message: string, loc?: SourceLoc, notes?: string[]): AbiDiagnostic {
  return createDiagnostic(code, message, loc, { category: "warning", ...(notes ? { notes } : {}) });
}
