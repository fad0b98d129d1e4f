// The probe IR: what the frontend produces from a .probe.ts and every later stage consumes.
// It is plain JSON (no classes, no bigint: big integers travel as decimal strings) so that it can be
// written, validated against its JSON Schema and read back. Stages only add information:
// frontend → ProbeProgram → resolve + ABI → ResolvedProgram → backend.

export const IR_VERSION = 1;

/** Bytes copied for a string read that names no limit: bpftrace's default BPFTRACE_STRLEN. */
export const DEFAULT_STRING_LIMIT = 64;

/** A place in a probe source file; 1-based line and column, like tsc prints them. */
export interface SourceLoc {
  file: string;
  line: number;
  column: number;
}

// ---------------------------------------------------------------- types of values

export interface IntType {
  kind: "int";
  bits: 8 | 16 | 32 | 64;
  signed: boolean;
}

/**
 * The type of a value as it travels from bpftrace to the runtime, used for map keys/values, event
 * fields and locals. `sizedString` is a string whose true length is known (string_view, std::string,
 * an explicit length): it is printed as two slots (text, length) so a consumer sees truncation.
 */
export type ValueType =
  | IntType
  | { kind: "bool" }
  | { kind: "string" }
  | { kind: "sizedString"; limit: number }
  | { kind: "pointer" }
  | { kind: "ustack"; frames?: number }
  | { kind: "kstack"; frames?: number }
  | { kind: "tuple"; elements: ValueType[] }
  | { kind: "record"; fields: FieldType[] };

export interface FieldType {
  name: string;
  type: ValueType;
}

// ---------------------------------------------------------------- expressions

export type BuiltinName =
  | "pid"
  | "tid"
  | "uid"
  | "gid"
  | "comm"
  | "nsecs"
  | "elapsed"
  | "cpu"
  | "cgroup"
  | "probe"
  | "func"
  | "retval";

export type BinaryOp =
  | "+" | "-" | "*" | "/" | "%"
  | "&" | "|" | "^" | "<<" | ">>"
  | "==" | "!=" | "<" | "<=" | ">" | ">="
  | "&&" | "||";

/**
 * How a C++ argument or return value is to be read. The ABI stage turns a `uArg`/`uRet` with one of
 * these into primitive expressions (`reg`, `stackSlot`, `deref`, `sizedStr`) for the resolved symbol.
 */
export type ArgRead =
  | { as: "int"; type: IntType }
  | { as: "pointer" }
  | { as: "cstr"; limit?: number }
  | { as: "stringView"; limit?: number }
  | { as: "stdString"; limit?: number }
  /** The 16-byte value itself, when the user wants both words of an aggregate. */
  | { as: "raw" };

export type Expr =
  | { kind: "int"; value: string; type?: IntType }
  | { kind: "str"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "builtin"; name: BuiltinName }
  /** A build/run-time parameter (`param.int("ENVOY_PID")`): a bpftrace positional parameter. */
  | { kind: "param"; name: string }
  /** A handler-local variable (`$name` in bpftrace). */
  | { kind: "local"; name: string }
  | { kind: "unary"; op: "!" | "-" | "~"; operand: Expr }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr }
  | { kind: "ternary"; cond: Expr; then: Expr; else: Expr }
  /** Reads a map; `key` is null for a map without key. Per-thread maps have key `[builtin tid]`. */
  | { kind: "mapGet"; map: string; key: Expr[] | null }
  /** `args->field` of a tracepoint. */
  | { kind: "tpArg"; field: string }
  /** `argN` of a kprobe (raw, by register position). */
  | { kind: "kArg"; index: number }
  /** A C++ parameter by position in the signature (`this` not counted); resolved by the ABI stage. */
  | { kind: "uArg"; index: number; read: ArgRead; loc?: SourceLoc }
  /** `this` of a member function. */
  | { kind: "uThis" }
  /** A uretprobe's return value read as the given kind. */
  | { kind: "uRet"; read: ArgRead; loc?: SourceLoc }
  /** Expert escape hatch: a raw register by name, exactly as bpftrace's reg() takes it. */
  | { kind: "rawReg"; name: string }
  /** `(struct NAME *)operand` — a cast to a kernel (BTF) struct pointer. */
  | { kind: "structCast"; struct: string; operand: Expr }
  /** `operand->name` (pointer) or `operand.name` (embedded struct). */
  | { kind: "field"; operand: Expr; name: string; arrow: boolean }
  /**
   * `operand.N` of a tuple value (map values that are records are tuples in bpftrace). On a sized
   * string (a `stringView`/`stdString` read, `sizedStr`), index 0 is its text and 1 its true length.
   */
  | { kind: "tupleGet"; operand: Expr; index: number }
  | { kind: "tuple"; elements: Expr[] }
  /** `*(type*)operand` */
  | { kind: "deref"; type: IntType; operand: Expr }
  /** Explicit integer cast `(uint32)operand`. */
  | { kind: "intCast"; type: IntType; operand: Expr }
  /** Calls of bpftrace functions that yield a value. */
  | { kind: "call"; fn: CallFn; args: Expr[] }
  // ---- primitives produced by the ABI stage (never by the frontend)
  /** `reg("si")` */
  | { kind: "reg"; name: string }
  /** The 8-byte stack slot at `sp + offset` at function entry: `*(uint64*)(reg("sp") + offset)`. */
  | { kind: "stackSlot"; offset: number }
  /**
   * A string with a known length: printed as (text, length); `limit` bounds the copy. The front end
   * also produces it directly for the DSL's `str(pointer, length)`.
   */
  | { kind: "sizedStr"; ptr: Expr; len: Expr; limit: number };

export type CallFn =
  | "str" // str(ptr) or str(ptr, len)
  | "ntop"
  | "ustack"
  | "kstack"
  | "usym"
  | "ksym"
  | "kaddr"
  | "uaddr"
  | "strncmp"
  | "buf"
  /** `strftime(format, nsecs)`: wall-clock time as text (the DSL's `time(format)` prints it). */
  | "strftime"
  /** `uptr(p)` / `kptr(p)`: mark a pointer as user / kernel memory for the reads through it. */
  | "uptr"
  | "kptr";

// ---------------------------------------------------------------- statements

export type AggregateFn = "count" | "sum" | "min" | "max" | "avg" | "stats" | "hist" | "lhist";

export type Stmt =
  /** First assignment of a local (bpftrace infers its type from it). */
  | { kind: "let"; name: string; value: Expr; loc: SourceLoc }
  | { kind: "assign"; name: string; value: Expr; loc: SourceLoc }
  | { kind: "mapSet"; map: string; key: Expr[] | null; value: Expr; loc: SourceLoc }
  | { kind: "mapAggregate"; map: string; key: Expr[] | null; fn: AggregateFn; args: Expr[]; loc: SourceLoc }
  | { kind: "mapDelete"; map: string; key: Expr[] | null; loc: SourceLoc }
  | { kind: "mapClear"; map: string; loc: SourceLoc }
  | { kind: "if"; cond: Expr; then: Stmt[]; else: Stmt[]; loc: SourceLoc }
  | { kind: "return"; loc: SourceLoc }
  /** A typed event: the runtime decodes it by `event` name with the schema in the manifest. */
  | { kind: "emit"; event: string; fields: { name: string; value: Expr }[]; loc: SourceLoc }
  /** Plain text for people, printf-style (bpftrace's own format directives). */
  | { kind: "printf"; format: string; args: Expr[]; loc: SourceLoc }
  /** Print a map (or all maps at END when the probe file asks for it). */
  | { kind: "printMap"; map: string; loc: SourceLoc }
  | { kind: "exit"; loc: SourceLoc };

// ---------------------------------------------------------------- probes

/** A uprobe target: alternatives in order; `select` says whether the first resolving one or all are taken. */
export interface UprobeTarget {
  binary: string;
  patterns: string[];
  select: "first" | "all";
  /** An optional point that resolves to nothing is skipped with a warning instead of failing the build. */
  optional: boolean;
  /**
   * Set on probes declared as alternatives with their own handlers (`uprobe(a, h1).orElse(b, h2)`):
   * probes sharing `id` form one group, `index` is the order. The resolver attaches only the first
   * member (by index) whose patterns resolve and skips the rest; the group is optional only when
   * every member is optional, and it fails (naming every member's patterns) when none resolves.
   */
  group?: { id: string; index: number };
  /**
   * The C++ return type the user declares for the matched functions (printed like c++filt, e.g.
   * `absl::Status`, `std::string_view`). Mangled names carry no return type for non-template
   * functions, yet on x86-64 a class returned by value takes rdi for its address and moves `this`
   * and every argument by one register, and a returned string_view's layout depends on its type.
   */
  returns?: string;
  /** Declares whether the matched functions take `this` (false: static members), overriding the ABI's rule. */
  member?: boolean;
}

export type AttachPoint =
  | ({ kind: "uprobe" | "uretprobe" } & UprobeTarget)
  | { kind: "tracepoint"; category: string; name: string }
  | { kind: "kprobe" | "kretprobe"; function: string }
  | { kind: "begin" }
  | { kind: "end" }
  | { kind: "interval"; unit: "s" | "ms" | "us"; value: number }
  | { kind: "profile"; unit: "hz" | "s" | "ms" | "us"; value: number };

export interface Probe {
  /** Stable within a program: `p0`, `p1`, … in source order. */
  id: string;
  loc: SourceLoc;
  attach: AttachPoint;
  /** The `when:` filter, a bpftrace predicate. */
  filter: Expr | null;
  body: Stmt[];
}

export interface MapDecl {
  /** The bpftrace name without `@`. */
  name: string;
  loc: SourceLoc;
  /** `map` has explicit keys, `perThread` is keyed by tid, `scalar` has no key. */
  shape: "map" | "perThread" | "scalar";
  key: ValueType[] | null;
  /** For aggregations, the aggregate; otherwise the stored value's type. */
  value: ValueType | { kind: "aggregate"; fn: AggregateFn };
  /** Set on probec's own presence map beside a value map (for `has()`): state, never a result. */
  presenceOf?: string;
}

export interface EventDecl {
  name: string;
  /** The numeric tag printed first in each event's tuple. */
  tag: number;
  fields: FieldType[];
  loc: SourceLoc;
  /**
   * Set when the event opens or closes a duration (a uprobe/uretprobe pair, an epoll wake round):
   * the runtime pairs begin and end of the same span name per thread into timeline slices.
   */
  span?: { name: string; phase: "begin" | "end" };
}

export interface ParamDecl {
  name: string;
  kind: "int" | "string";
  /** bpftrace positional parameter number ($1 is 1). */
  position: number;
  default?: string;
}

export interface BinaryDecl {
  /** The name the probe file uses (`binary("envoy")`), bound with `--binary envoy=PATH`. */
  name: string;
  loc: SourceLoc;
}

/** What the frontend produces. */
export interface ProbeProgram {
  irVersion: typeof IR_VERSION;
  source: string;
  binaries: BinaryDecl[];
  params: ParamDecl[];
  maps: MapDecl[];
  events: EventDecl[];
  probes: Probe[];
}

// ---------------------------------------------------------------- after resolution

export interface ResolvedSymbolRef {
  mangled: string;
  demangled: string;
  address: number;
  size: number;
  /** Printed C++ parameter types (c++filt style), null if the symbol is not a function. */
  params: string[] | null;
}

export interface ResolvedBinary {
  name: string;
  path: string;
  buildId: string | null;
  arch: "x86_64" | "aarch64";
  stdlib: "libc++" | "libstdc++" | "unknown";
}

/**
 * One group of symbols that share the same lowered body (the ABI may lower argument reads
 * differently per overload): one bpftrace probe block with comma-joined attach points.
 */
export interface ResolvedAttachment {
  binary: string;
  symbols: ResolvedSymbolRef[];
  filter: Expr | null;
  body: Stmt[];
}

export interface ResolvedProbe extends Probe {
  /** For uprobe/uretprobe: the groups; empty when an optional point was skipped. */
  attachments: ResolvedAttachment[];
  /** Which pattern of the alternatives resolved (index into attach.patterns), for `probec check`. */
  alternativeTaken?: number;
  /** Set when an optional point resolved to nothing. */
  skipped?: string;
}

export interface ResolvedProgram extends Omit<ProbeProgram, "probes"> {
  resolvedBinaries: ResolvedBinary[];
  probes: ResolvedProbe[];
}
