// Diagnostics of the build driver, in the commands block of codes (9600–9699; 9601 is the shared
// "cannot write" factory). Each names what the user typed and what would have been accepted.
import { createDiagnostic, type ProbeDiagnostic, type SourceSpan } from "../diagnostics/index.js";
import { INT_PARAM_SPELLING } from "../ir/param-value.js";

export const BuildCode = {
  UnknownBinaryName: 9610,
  BinaryUnreadable: 9611,
  UnknownParam: 9612,
  BadParamValue: 9613,
  InvalidManifest: 9614,
  OutputClash: 9615,
  ResolverUnavailable: 9616,
} as const;

const q = (s: string) => `'${s}'`;
const oneOf = (names: readonly string[]) => (names.length === 0 ? "it declares none" : `it declares ${names.map(q).join(", ")}`);

export const unknownBinaryName = (name: string, declared: readonly string[]): ProbeDiagnostic =>
  createDiagnostic(BuildCode.UnknownBinaryName, `--binary ${name}=…: the probe file declares no binary ${q(name)}; ${oneOf(declared)}.`);

export const binaryUnreadable = (name: string, path: string, reason: string, at?: SourceSpan): ProbeDiagnostic =>
  createDiagnostic(BuildCode.BinaryUnreadable, `Cannot use ${q(path)} as binary ${q(name)}: ${reason}.`, at);

export const unknownParam = (name: string, declared: readonly string[]): ProbeDiagnostic =>
  createDiagnostic(BuildCode.UnknownParam, `--param ${name}=…: the probe file declares no parameter ${q(name)}; ${oneOf(declared)}.`);

export const badParamValue = (name: string, value: string, at?: SourceSpan): ProbeDiagnostic =>
  createDiagnostic(BuildCode.BadParamValue, `--param ${name}=${value}: parameter ${q(name)} is ${INT_PARAM_SPELLING}.`, at);

export const invalidManifest = (problems: readonly string[]): ProbeDiagnostic =>
  createDiagnostic(BuildCode.InvalidManifest, `Internal error: the manifest probec built does not match its schema (a probec bug; please report it).`, undefined, {
    notes: [...problems],
  });

export const outputClash = (path: string, what: string): ProbeDiagnostic =>
  createDiagnostic(BuildCode.OutputClash, `Refusing to write ${q(path)}: it is ${what}.`);

export const resolverUnavailable = (at: SourceSpan, what: string): ProbeDiagnostic =>
  createDiagnostic(BuildCode.ResolverUnavailable, `${what} is not supported yet in this build of probec.`, at);
