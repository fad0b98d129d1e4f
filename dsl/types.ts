// The value types a probe handles. Integers are plain `number` at the type level (so arithmetic and
// literals just work in the editor); the alias a value is declared with (`u16`, `i32`…) is what probec
// reads to pick the bpftrace type of a map slot or an event field.

/** Signed 8-bit integer. */
export type i8 = number;
/** Signed 16-bit integer. */
export type i16 = number;
/** Signed 32-bit integer (a C `int`, a file descriptor). */
export type i32 = number;
/** Signed 64-bit integer (a C `long`, a syscall's return value). */
export type i64 = number;
/** Unsigned 8-bit integer. */
export type u8 = number;
/** Unsigned 16-bit integer (a port in network byte order). */
export type u16 = number;
/** Unsigned 32-bit integer (an IPv4 address, a pid). */
export type u32 = number;
/** Unsigned 64-bit integer (a timestamp in nanoseconds). Values above 2^53 lose precision in JS. */
export type u64 = number;
/** An address in the traced process or the kernel; print it with `%p`, read through it with `deref`/`str`/`kstruct`. */
export type ptr = number;

/**
 * A string whose true length is known: a `string_view`, a `std::string`, or `str(p, len)`.
 * bpftrace copies at most its string limit; the runtime receives the copied text and the true length,
 * so `truncated` tells a consumer that the text was cut.
 */
export interface SizedString {
  /** The bytes that were copied, decoded as UTF-8 by the runtime. */
  readonly text: string;
  /** The true length in bytes, as the traced program had it. */
  readonly length: u64;
  /** True when `text` holds fewer bytes than `length` (bpftrace's string limit cut it). Runtime only. */
  readonly truncated: boolean;
  /** Present only when the copied bytes were not valid UTF-8: the exact bytes as hex. Runtime only. */
  readonly bytesHex?: string;
}

/** A user-space stack captured with `ustack()`; the runtime decodes it into symbolised frames. */
export interface UStack {
  /** @internal marks the type; a probe never reads it. */
  readonly __stack: "user";
}

/** A kernel stack captured with `kstack()`; the runtime decodes it into symbolised frames. */
export interface KStack {
  /** @internal marks the type; a probe never reads it. */
  readonly __stack: "kernel";
}

/** A stack as the runtime gives it back: one symbolised frame per entry, innermost first. */
export type StackFrames = readonly StackFrame[];

/** One frame of a decoded stack, innermost first. */
export interface StackFrame {
  /** Demangled symbol; null when the address could not be symbolised. */
  readonly symbol: string | null;
  /** Byte offset into the symbol, when symbolised. */
  readonly offset: number | null;
  /** The instruction address as hex (`0x…`), when known. */
  readonly address: string | null;
  /** The binary or library, when known. */
  readonly module: string | null;
}

/** Register names accepted by {@link UprobeContext.unsafeReg} (bpftrace's `reg()` names, x86-64 and AArch64). */
export type RegisterName =
  | "di" | "si" | "dx" | "cx" | "r8" | "r9" | "ax" | "bx" | "bp" | "sp" | "ip"
  | "r10" | "r11" | "r12" | "r13" | "r14" | "r15"
  | `x${number}` | "pc";
