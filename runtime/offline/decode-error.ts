// Problems of `probec decode`, each with a stable code (PC9680–PC9689, commands block of
// compiler/diagnostics/codes.ts) and its place: the recording's file and 1-based line.

export const DECODE_ERRORS = {
  /** A recording cannot be read (missing, a directory, no permission). */
  recordingUnreadable: 9680,
  /** A line is not a line of `bpftrace -f json` (not JSON, a partial line, an unknown type, an incomplete event). */
  badLine: 9681,
  /** The recording holds events this manifest does not describe: it was made with another script. */
  otherScript: 9682,
  /** A --maps file cannot be read or holds no mappings. */
  mapsUnreadable: 9683,
} as const;

export type DecodeErrorCode = (typeof DECODE_ERRORS)[keyof typeof DECODE_ERRORS];

export interface DecodeProblem {
  code: DecodeErrorCode;
  /** The recording (as given), or the --maps file. */
  file: string;
  /** 1-based line; 0 when the problem is the whole file. */
  line: number;
  message: string;
  /** The start of the offending line, when there is one. */
  excerpt?: string;
  /** True when the rest of the file was not decoded. */
  fatal: boolean;
}

/** `rec.jsonl:12: error PC9681: not valid JSON` and the excerpt below it. */
export function formatDecodeProblem(p: DecodeProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}` : p.file;
  const head = `${where}: error PC${p.code}: ${p.message}`;
  return p.excerpt ? `${head}\n  ${p.excerpt}` : head;
}
