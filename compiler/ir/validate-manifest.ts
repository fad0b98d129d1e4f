// Validates manifests against their JSON Schema (ajv), and reads them back from disk validated.
// `readManifest` is what the runtime uses: a manifest that does not match is an error that says
// which file, which property and why — never a half-decoded run.
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { MANIFEST_VERSION, type Manifest } from "./manifest.js";
import { manifestSchema } from "./manifest-schema.js";

export class ManifestError extends Error {
  constructor(
    readonly path: string,
    message: string,
    /** Each schema violation as `/json/pointer: reason`. */
    readonly problems: string[] = [],
  ) {
    super(problems.length > 0 ? `${message}\n${problems.map((p) => `  ${p}`).join("\n")}` : message);
  }
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(manifestSchema);
  return compiled;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath === "" ? "(top level)" : e.instancePath;
  const extra = e.keyword === "enum" || e.keyword === "const" ? ` (${JSON.stringify(e.params)})` : "";
  return `${where}: ${e.message ?? e.keyword}${extra}`;
}

/** The schema violations of `value`, as `/pointer: reason` lines; empty when it is a valid manifest. */
export function manifestProblems(value: unknown): string[] {
  const validate = validator();
  if (validate(value)) return [];
  // oneOf failures repeat once per branch; keep each line once.
  return [...new Set((validate.errors ?? []).map(describe))];
}

/** Throws ManifestError unless `value` is a valid manifest; `where` names it in the message. */
export function assertManifest(value: unknown, where: string): asserts value is Manifest {
  if (typeof value === "object" && value !== null && "manifestVersion" in value && value.manifestVersion !== MANIFEST_VERSION) {
    throw new ManifestError(where, `${where}: manifest version ${JSON.stringify(value.manifestVersion)} is not supported (this probec reads version ${MANIFEST_VERSION}); rebuild the probe`);
  }
  const problems = manifestProblems(value);
  if (problems.length > 0) throw new ManifestError(where, `${where}: not a valid probec manifest`, problems);
}

/** Reads and validates a manifest written by `probec build`. */
export function readManifest(path: string): Manifest {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
    throw new ManifestError(path, `cannot read manifest ${path}: ${reason}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(path, `${path}: not JSON (${(err as Error).message})`);
  }
  assertManifest(value, path);
  return value;
}
