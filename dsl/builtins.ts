// Builtins and value functions a handler can use. They exist at run time only so that a probe file
// can be imported (for its types) without failing; probec reads the source and lowers these to
// bpftrace's own builtins — their JavaScript values are placeholders and never traced data.
import type { i64, ptr, SizedString, u32, u64, u8, i8, i16, i32, u16, UStack, KStack } from "./types.js";

/** The traced process's id (bpftrace `pid`; the thread group id). */
export const pid: u32 = 0;
/** The traced thread's id (bpftrace `tid`). */
export const tid: u32 = 0;
/** The user id of the traced process. */
export const uid: u32 = 0;
/** The group id of the traced process. */
export const gid: u32 = 0;
/** The traced thread's name, at most 16 bytes (bpftrace `comm`). */
export const comm: string = "";
/** Nanoseconds since boot (bpftrace `nsecs`). */
export const nsecs: u64 = 0;
/** Nanoseconds since bpftrace started (bpftrace `elapsed`). */
export const elapsed: u64 = 0;
/** The CPU the probe fires on. */
export const cpu: u32 = 0;
/** The cgroup id of the traced thread. */
export const cgroup: u64 = 0;
/** The full name of the probe that fired, e.g. `uprobe:/usr/local/bin/envoy:_ZN5Envoy…` (bpftrace `probe`). */
export const probe: string = "";
/** The traced function's name (bpftrace `func`). */
export const func: string = "";
/** The raw return value in a uretprobe/kretprobe (bpftrace `retval`). Prefer `r.ret.int()` in uretprobes. */
export const retval: i64 = 0;

/** `AF_INET` from `<sys/socket.h>`. */
export const AF_INET = 2;
/** `AF_INET6` from `<sys/socket.h>`. */
export const AF_INET6 = 10;
/** `EPOLL_CTL_ADD`: the `op` of `epoll_ctl` that adds a descriptor. */
export const EPOLL_CTL_ADD = 1;
/** `EPOLL_CTL_DEL`: the `op` of `epoll_ctl` that removes a descriptor. */
export const EPOLL_CTL_DEL = 2;
/** `EPOLL_CTL_MOD`: the `op` of `epoll_ctl` that changes a descriptor's events. */
export const EPOLL_CTL_MOD = 3;

const placeholderStack = { __stack: "user" } as UStack;
const placeholderKStack = { __stack: "kernel" } as KStack;

/** The user-space stack of the traced thread, at most `frames` deep (bpftrace `ustack(n)`). */
export function ustack(frames?: number): UStack {
  void frames;
  return placeholderStack;
}

/** The kernel stack, at most `frames` deep (bpftrace `kstack(n)`). */
export function kstack(frames?: number): KStack {
  void frames;
  return placeholderKStack;
}

/**
 * Reads a NUL-terminated string at `pointer` (bpftrace `str(p)`), or exactly `length` bytes
 * (`str(p, n)`, a {@link SizedString} so the true length travels with the text).
 */
export function str(pointer: ptr): string;
export function str(pointer: ptr, length: number): SizedString;
export function str(pointer: ptr, length?: number): string | SizedString {
  void pointer;
  return length === undefined ? "" : { text: "", length, truncated: false };
}

/** Formats an IPv4 (u32) or IPv6 address as text (bpftrace `ntop`). Addresses are in network byte order. */
export function ntop(address: number | ptr): string;
/** Formats an address of the given family (`AF_INET`/`AF_INET6`). */
export function ntop(family: number, address: number | ptr): string;
export function ntop(..._args: number[]): string {
  return "";
}

/** The symbol name of a user-space address (bpftrace `usym`). */
export function usym(address: ptr): string {
  void address;
  return "";
}

/** The symbol name of a kernel address (bpftrace `ksym`). */
export function ksym(address: ptr): string {
  void address;
  return "";
}

/**
 * Marks `pointer` as an address in the traced process (bpftrace `uptr`), so reads through it
 * (`kstruct`, `deref`, `str`) use user-memory reads. Needed for user pointers that went through a
 * map or a variable, e.g. a `sockaddr` saved at a syscall's entry and read at its exit.
 */
export function uptr(pointer: ptr): ptr {
  return pointer;
}

/** Marks `pointer` as a kernel address (bpftrace `kptr`). */
export function kptr(pointer: ptr): ptr {
  return pointer;
}

/**
 * Reads an integer through a pointer: `deref.i32(p)` is bpftrace's `*(int32*)p`.
 * Use it for user pointers a syscall receives (`deref.i32(t.args.optval)`).
 */
export const deref = {
  /** `*(int8*)p` */ i8: (p: ptr): i8 => (void p, 0),
  /** `*(int16*)p` */ i16: (p: ptr): i16 => (void p, 0),
  /** `*(int32*)p` */ i32: (p: ptr): i32 => (void p, 0),
  /** `*(int64*)p` */ i64: (p: ptr): i64 => (void p, 0),
  /** `*(uint8*)p` */ u8: (p: ptr): u8 => (void p, 0),
  /** `*(uint16*)p` */ u16: (p: ptr): u16 => (void p, 0),
  /** `*(uint32*)p` */ u32: (p: ptr): u32 => (void p, 0),
  /** `*(uint64*)p` */ u64: (p: ptr): u64 => (void p, 0),
  /** `*(uint64*)p`, typed as a pointer. */ ptr: (p: ptr): ptr => (void p, 0),
};

/**
 * Explicit integer conversion: `cast.u16(x)` is bpftrace's `(uint16)x`.
 * Useful to keep map slots and event fields narrow.
 */
export const cast = {
  /** `(int8)x` */ i8: (x: number): i8 => x,
  /** `(int16)x` */ i16: (x: number): i16 => x,
  /** `(int32)x` */ i32: (x: number): i32 => x,
  /** `(int64)x` */ i64: (x: number): i64 => x,
  /** `(uint8)x` */ u8: (x: number): u8 => x,
  /** `(uint16)x` */ u16: (x: number): u16 => x,
  /** `(uint32)x` */ u32: (x: number): u32 => x,
  /** `(uint64)x` */ u64: (x: number): u64 => x,
};

/**
 * Prints text for people, with bpftrace's printf directives (`%d %u %x %s %p %-16s`…).
 * A template literal works too: `printf(\`fd=${fd}\n\`)` picks the directives from the values' types.
 * For data a program should read, use `emit` (typed events) instead.
 */
export function printf(format: string, ...args: unknown[]): void {
  void format;
  void args;
}

/** Prints the wall-clock time with a strftime format (bpftrace `time("%H:%M:%S ")`). */
export function time(format?: string): void {
  void format;
}

/** Stops tracing: bpftrace prints its maps and exits (bpftrace `exit()`). */
export function exit(): void {}
