// Probe points and the contexts their handlers receive. These calls declare probes at build time:
// probec evaluates the top level of a probe file (and the library functions it calls), so a probe is
// declared by calling `uprobe(...)`, `tracepoint(...)`… at top level or inside a library function.
// At run time they do nothing.
import type { i64, ptr, RegisterName, SizedString, u64, i8, i16, i32, u8, u16, u32 } from "./types.js";
import type { Tracepoints } from "./tracepoints.js";

/** A named binary whose functions can be probed; bound at build time with `--binary NAME=PATH`. */
export interface Binary {
  /** The name given to `binary()`, used on the command line. */
  readonly name: string;
  /** Selects functions of this binary by C++ symbol pattern; see {@link FunctionSelector}. */
  readonly fn: FunctionSelector;
}

/** Options of a probe point. */
export interface PointOptions {
  /** When nothing matches, skip the probe with a warning instead of failing the build. */
  optional?: boolean;
  /**
   * The C++ return type, e.g. `"absl::Status"`. Mangled names of ordinary functions do not carry it,
   * yet a class returned by value moves `this` and every argument one register on x86-64.
   */
  returns?: string;
  /** Whether the functions take `this`; set `false` for static member functions. */
  member?: boolean;
}

/**
 * Chooses functions by demangled C++ pattern:
 * - `envoy.fn("Envoy::Network::TcpListenerImpl::onSocketEvent")` — every overload;
 * - `envoy.fn("Ns::Class::method(absl::string_view)")` — one overload;
 * - `envoy.fn(["A::f", "B::g"])` — alternatives, the first that resolves (same as `firstOf`);
 * - `envoy.fn.anyOf(["A::f", "B::g"])` — every alternative that resolves;
 * - `{ optional: true }` — skip with a warning when nothing resolves.
 * The pattern syntax (wildcards, inline namespaces, lambdas) is described in the README's symbols section.
 */
export interface FunctionSelector {
  (pattern: string | readonly string[], options?: PointOptions): FunctionPoint;
  /** The first pattern (in order) that resolves to at least one function is used; the rest are ignored. */
  firstOf(patterns: readonly string[], options?: PointOptions): FunctionPoint;
  /** Every pattern that resolves is used; the point fails only when none does (unless optional). */
  anyOf(patterns: readonly string[], options?: PointOptions): FunctionPoint;
}

/** A set of functions of one binary: what `uprobe`/`uretprobe` attach to. */
export interface FunctionPoint {
  /** @internal marks the type. */
  readonly __point: "function";
}

/** Declares a binary to probe. `name` is how the command line binds it: `--binary envoy=/usr/local/bin/envoy`. */
export function binary(name: string): Binary {
  const point: FunctionPoint = { __point: "function" };
  const fn = Object.assign((_p: string | readonly string[], _o?: PointOptions) => point, {
    firstOf: (_p: readonly string[], _o?: PointOptions) => point,
    anyOf: (_p: readonly string[], _o?: PointOptions) => point,
  });
  return { name, fn };
}

/** Options every probe takes. */
export interface ProbeOptions {
  /**
   * A filter evaluated before the handler (a bpftrace predicate): `when: () => pid === envoyPid`.
   * It must be an arrow function returning one expression.
   */
  when?: () => boolean | number;
}

/** How one C++ parameter (or a return value) is read. The ABI of the resolved binary decides where it lives. */
export interface ValueReader {
  /** Reads it as a 64-bit signed integer (any integer or enum type, sign-extended by its width). */
  int(): i64;
  /** As a signed 8-bit integer. */ i8(): i8;
  /** As a signed 16-bit integer. */ i16(): i16;
  /** As a signed 32-bit integer. */ i32(): i32;
  /** As a signed 64-bit integer. */ i64(): i64;
  /** As an unsigned 8-bit integer. */ u8(): u8;
  /** As an unsigned 16-bit integer. */ u16(): u16;
  /** As an unsigned 32-bit integer. */ u32(): u32;
  /** As an unsigned 64-bit integer. */ u64(): u64;
  /** As a pointer (or a reference: its address). */
  ptr(): ptr;
  /** A `const char*`: the NUL-terminated string it points to. */
  cstr(limit?: number): string;
  /**
   * A string_view passed by value (`absl::string_view` or `std::string_view`, libc++ or libstdc++
   * layout — probec picks the right registers and field order for the resolved symbol).
   * `limit` bounds the copy; the true length is kept.
   */
  stringView(limit?: number): SizedString;
  /** A `std::string` passed by reference or pointer (libc++ or libstdc++ layout, short strings included). */
  stdString(limit?: number): SizedString;
}

/** The context of a uprobe handler: the function was just entered. */
export interface UprobeContext {
  /**
   * The C++ parameter at `index` (0-based, in the signature, `this` not counted):
   * `f.arg(0).stringView()`. The compiler refuses when the resolved parameter is not of that kind.
   */
  arg(index: number): ValueReader;
  /** `this` of a member function, as a pointer. */
  this(): ptr;
  /**
   * EXPERT ESCAPE HATCH: the raw value of a machine register at function entry (bpftrace `reg()`).
   * It ignores the signature and the ABI and breaks when the compiler or the binary changes.
   * Prefer `arg(i)`.
   */
  unsafeReg(name: RegisterName): u64;
}

/** The context of a uretprobe handler: the function is returning. Arguments are gone by now. */
export interface UretprobeContext {
  /** The return value, read by kind: `r.ret.int()`, `r.ret.stringView()` (a string_view returned by value). */
  readonly ret: ValueReader;
  /** EXPERT ESCAPE HATCH: a raw register at return (bpftrace `reg()`); see {@link UprobeContext.unsafeReg}. */
  unsafeReg(name: RegisterName): u64;
}

/** The context of a tracepoint handler. */
export interface TracepointContext<A> {
  /** The tracepoint's fields (bpftrace `args->field`), typed from the kernel's format file. */
  readonly args: A;
}

/** The context of a kprobe handler. */
export interface KprobeContext {
  /** The raw `index`-th integer argument of the kernel function (bpftrace `argN`). */
  arg(index: number): u64;
}

/** The context of a kretprobe handler. */
export interface KretprobeContext {
  /** The kernel function's return value (bpftrace `retval`). */
  readonly retval: i64;
}

/**
 * A declared probe. `.orElse(point, handler)` adds an alternative with its own handler: at build
 * time the first alternative whose point resolves is attached, the others are dropped — the way to
 * read an argument differently on another version of the binary.
 */
export interface UprobeChain<C> {
  /** Adds an alternative point with its own handler, used when the points before it resolve to nothing. */
  orElse(point: FunctionPoint, handler: (ctx: C) => void): UprobeChain<C>;
  /** Adds an alternative point with its own filter and handler. */
  orElse(point: FunctionPoint, options: ProbeOptions, handler: (ctx: C) => void): UprobeChain<C>;
}

const chain: UprobeChain<never> = { orElse: () => chain };

/** Attaches to the entry of the functions of `point`: `uprobe(envoy.fn("Envoy::…::onSocketEvent"), (f) => …)`. */
export function uprobe(point: FunctionPoint, handler: (f: UprobeContext) => void): UprobeChain<UprobeContext>;
export function uprobe(point: FunctionPoint, options: ProbeOptions, handler: (f: UprobeContext) => void): UprobeChain<UprobeContext>;
export function uprobe(..._args: unknown[]): UprobeChain<UprobeContext> {
  return chain;
}

/** Attaches to the return of the functions of `point`; `r.ret` reads the return value. */
export function uretprobe(point: FunctionPoint, handler: (r: UretprobeContext) => void): UprobeChain<UretprobeContext>;
export function uretprobe(point: FunctionPoint, options: ProbeOptions, handler: (r: UretprobeContext) => void): UprobeChain<UretprobeContext>;
export function uretprobe(..._args: unknown[]): UprobeChain<UretprobeContext> {
  return chain;
}

/** A tracepoint name: a known one (typed args) or any `category:name` this machine's tracefs has. */
export type TracepointName = keyof Tracepoints | `${string}:${string}`;

/** The args of a tracepoint: typed when probec's table knows it, plain integers otherwise. */
export type TracepointArgs<N extends string> = N extends keyof Tracepoints ? Tracepoints[N] : { readonly [field: string]: u64 };

/**
 * Attaches to a kernel tracepoint: `tracepoint("syscalls:sys_exit_accept4", (t) => t.args.ret)`.
 * `t.args` is typed from the tracepoint's format; an unknown tracepoint is a build error.
 */
export function tracepoint<N extends TracepointName>(name: N, handler: (t: TracepointContext<TracepointArgs<N>>) => void): void;
export function tracepoint<N extends TracepointName>(
  name: N,
  options: ProbeOptions,
  handler: (t: TracepointContext<TracepointArgs<N>>) => void,
): void;
export function tracepoint(..._args: unknown[]): void {}

/** Attaches to the entry of a kernel function (needs a kernel with kprobes). */
export function kprobe(fn: string, handler: (k: KprobeContext) => void): void;
export function kprobe(fn: string, options: ProbeOptions, handler: (k: KprobeContext) => void): void;
export function kprobe(..._args: unknown[]): void {}

/** Attaches to the return of a kernel function; `k.retval` is its return value. */
export function kretprobe(fn: string, handler: (k: KretprobeContext) => void): void;
export function kretprobe(fn: string, options: ProbeOptions, handler: (k: KretprobeContext) => void): void;
export function kretprobe(..._args: unknown[]): void {}

/** Runs once when tracing starts (bpftrace `BEGIN`). */
export function begin(handler: () => void): void {
  void handler;
}

/** Runs once when tracing stops (bpftrace `END`). */
export function end(handler: () => void): void {
  void handler;
}

/** A period: `"1s"`, `"500ms"`, `"100us"`. */
export type Period = `${number}${"s" | "ms" | "us"}`;

/** Runs every `period` on one CPU (bpftrace `interval:s:1`). */
export function interval(period: Period, handler: () => void): void {
  void period;
  void handler;
}

/** Samples on every CPU at a rate (`"99hz"`) or period (bpftrace `profile:hz:99`). */
export function profile(rate: `${number}hz` | Period, handler: () => void): void {
  void rate;
  void handler;
}
