// Errors from reading an ELF file. The code is stable (tests and callers switch on it); the offset is
// where in the file the offending bytes are, so a user can look at them with `xxd -s`.

export type ElfErrorCode =
  | "ELF_OPEN_FAILED"
  | "ELF_NOT_ELF"
  | "ELF_CLASS32"
  | "ELF_BIG_ENDIAN"
  | "ELF_BAD_HEADER"
  | "ELF_TRUNCATED"
  | "ELF_BAD_SECTION"
  | "ELF_BAD_STRING"
  | "ELF_BAD_SEGMENT"
  | "ELF_NO_SYMBOLS";

export class ElfError extends Error {
  override readonly name = "ElfError";
  constructor(
    readonly code: ElfErrorCode,
    /** What went wrong, without the location (the message adds it). */
    readonly reason: string,
    /** Byte offset in the file of the offending data, or -1 when there is no meaningful one. */
    readonly offset: number,
    readonly path: string,
  ) {
    super(offset >= 0 ? `${reason} (at offset 0x${offset.toString(16)})` : reason);
  }
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
