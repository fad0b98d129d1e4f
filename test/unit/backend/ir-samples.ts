// Hand-made resolved IR for backend tests: small programs that exercise one construct each, and a
// seed-shaped program (accept → filter chain) written the way the frontend + resolver + ABI would.
import type { Expr, ResolvedProbe, ResolvedProgram, SourceLoc, Stmt } from "../../../compiler/ir/program.js";

export const FILE = "/src/examples/demo.probe.ts";

export function at(line: number, column = 1): SourceLoc {
  return { file: FILE, line, column };
}

export const tid: Expr = { kind: "builtin", name: "tid" };
export const pidIsParam: Expr = { kind: "binary", op: "==", left: { kind: "builtin", name: "pid" }, right: { kind: "param", name: "ENVOY_PID" } };
export const int = (v: number | string): Expr => ({ kind: "int", value: String(v) });

export function program(parts: Partial<ResolvedProgram> & { probes: ResolvedProbe[] }): ResolvedProgram {
  return {
    irVersion: 1,
    source: FILE,
    binaries: [{ name: "envoy", loc: at(3) }],
    params: [{ name: "ENVOY_PID", kind: "int", position: 1 }],
    maps: [],
    events: [],
    resolvedBinaries: [{ name: "envoy", path: "/opt/envoy/bin/envoy", buildId: "0123456789abcdef0123456789abcdef01234567", arch: "x86_64", stdlib: "libc++" }],
    ...parts,
  };
}

export function tracepoint(id: string, line: number, name: string, body: Stmt[], filter: Expr | null = pidIsParam): ResolvedProbe {
  return { id, loc: at(line), attach: { kind: "tracepoint", category: "syscalls", name }, filter, body, attachments: [] };
}

export function sym(mangled: string, demangled: string, address: number) {
  return { mangled, demangled, address, size: 64, params: [] as string[] };
}

export function uprobe(
  id: string,
  line: number,
  pattern: string,
  groups: { symbols: ReturnType<typeof sym>[]; body: Stmt[]; filter?: Expr | null }[],
  kind: "uprobe" | "uretprobe" = "uprobe",
  optional = false,
): ResolvedProbe {
  const filter = pidIsParam;
  return {
    id,
    loc: at(line),
    attach: { kind, binary: "envoy", patterns: [pattern], select: "first", optional },
    filter,
    body: [],
    attachments: groups.map((g) => ({ binary: "envoy", symbols: g.symbols, filter: g.filter === undefined ? filter : g.filter, body: g.body })),
    alternativeTaken: 0,
  };
}

const u32 = { kind: "int", bits: 32, signed: false } as const;
const local = (name: string): Expr => ({ kind: "local", name });

/** Statements, maps, params, BEGIN/END: everything but uprobes. */
export function statementsProgram(): ResolvedProgram {
  return program({
    params: [
      { name: "ENVOY_PID", kind: "int", position: 1 },
      { name: "HOST", kind: "string", position: 2 },
    ],
    maps: [
      { name: "seen", loc: at(5), shape: "map", key: [u32, u32], value: { kind: "tuple", elements: [u32, u32] } },
      { name: "calls", loc: at(6), shape: "map", key: [{ kind: "string" }], value: { kind: "aggregate", fn: "count" } },
      { name: "lat", loc: at(7), shape: "scalar", key: null, value: { kind: "aggregate", fn: "hist" } },
      { name: "total", loc: at(8), shape: "scalar", key: null, value: u32 },
    ],
    probes: [
      {
        id: "p0",
        loc: at(10),
        attach: { kind: "begin" },
        filter: null,
        attachments: [],
        body: [{ kind: "printf", format: 'Tracing "envoy"\\\n\t%d\u0001', args: [{ kind: "param", name: "ENVOY_PID" }], loc: at(11) }],
      },
      tracepoint("p1", 12, "sys_enter_setsockopt", [
        { kind: "let", name: "fd", value: { kind: "tpArg", field: "fd" }, loc: at(13) },
        {
          kind: "mapSet",
          map: "seen",
          key: [local("fd"), { kind: "tpArg", field: "level" }],
          value: { kind: "tuple", elements: [int(1), { kind: "tpArg", field: "optname" }] },
          loc: at(14),
        },
        {
          kind: "if",
          cond: {
            kind: "binary",
            op: "&&",
            left: { kind: "tupleGet", operand: { kind: "mapGet", map: "seen", key: [local("fd"), int(6)] }, index: 0 },
            right: {
              kind: "binary",
              op: "||",
              left: { kind: "unary", op: "!", operand: local("fd") },
              right: { kind: "binary", op: "==", left: { kind: "tupleGet", operand: { kind: "mapGet", map: "seen", key: [local("fd"), int(6)] }, index: 1 }, right: int(3) },
            },
          },
          then: [
            { kind: "let", name: "x", value: { kind: "binary", op: "*", left: { kind: "binary", op: "+", left: local("fd"), right: int(1) }, right: int(2) }, loc: at(16) },
            { kind: "mapAggregate", map: "calls", key: [{ kind: "builtin", name: "comm" }], fn: "count", args: [], loc: at(17) },
          ],
          else: [
            {
              kind: "if",
              cond: { kind: "binary", op: ">", left: local("fd"), right: int(100) },
              then: [
                // Same name as the `x` above, another type: bpftrace needs another variable.
                { kind: "let", name: "x", value: { kind: "str", value: "big" }, loc: at(19) },
                { kind: "mapDelete", map: "seen", key: [local("fd"), int(6)], loc: at(20) },
              ],
              else: [{ kind: "mapClear", map: "seen", loc: at(22) }],
              loc: at(18),
            },
          ],
          loc: at(15),
        },
        {
          kind: "assign",
          name: "fd",
          value: {
            kind: "ternary",
            cond: { kind: "binary", op: "<", left: local("fd"), right: int(0) },
            then: int(0),
            else: { kind: "binary", op: "-", left: local("fd"), right: { kind: "binary", op: "-", left: int(1), right: int(2) } },
          },
          loc: at(24),
        },
        { kind: "mapAggregate", map: "lat", key: null, fn: "hist", args: [local("fd")], loc: at(25) },
        { kind: "mapSet", map: "total", key: null, value: { kind: "binary", op: "+", left: { kind: "mapGet", map: "total", key: null }, right: int(1) }, loc: at(26) },
        {
          kind: "if",
          cond: { kind: "binary", op: "==", left: { kind: "builtin", name: "comm" }, right: { kind: "param", name: "HOST" } },
          then: [{ kind: "exit", loc: at(27) }],
          else: [],
          loc: at(27),
        },
      ]),
      { id: "p2", loc: at(30), attach: { kind: "end" }, filter: null, attachments: [], body: [{ kind: "printMap", map: "calls", loc: at(31) }] },
    ],
  });
}

const sv = (ptr: string, len: Expr, limit = 120): Expr => ({ kind: "sizedStr", ptr: { kind: "reg", name: ptr }, len, limit });

/** Seed-shaped uprobes: C1/C2 aliases, a string_view read, a uretprobe, an optional point left out. */
export function uprobesProgram(): ResolvedProgram {
  return program({
    maps: [{ name: "fired", loc: at(5), shape: "perThread", key: [u32], value: u32 }],
    events: [
      {
        name: "filterChain",
        tag: 1,
        loc: at(6),
        fields: [
          { name: "name", type: { kind: "sizedString", limit: 120 } },
          { name: "stack", type: { kind: "ustack", frames: 3 } },
        ],
      },
      { name: "wakeEnd", tag: 2, loc: at(7), fields: [{ name: "fd", type: { kind: "int", bits: 32, signed: true } }], span: { name: "wake", phase: "end" } },
    ],
    probes: [
      uprobe("p0", 20, "Envoy::Network::ConnectionImpl::ConnectionImpl", [
        {
          symbols: [
            sym("_ZN5Envoy7Network14ConnectionImplC2Ev", "Envoy::Network::ConnectionImpl::ConnectionImpl()", 0x4000),
            sym("_ZN5Envoy7Network14ConnectionImplC1Ev", "Envoy::Network::ConnectionImpl::ConnectionImpl()", 0x4000),
            sym("_ZN5Envoy7Network14ConnectionImplC2Ei", "Envoy::Network::ConnectionImpl::ConnectionImpl(int)", 0x4100),
          ],
          body: [{ kind: "mapSet", map: "fired", key: [tid], value: int(1), loc: at(21) }],
        },
      ]),
      uprobe("p1", 30, "Envoy::StreamInfo::StreamInfoImpl::setFilterChainName", [
        {
          symbols: [sym("_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainNameEN4absl11string_viewE", "Envoy::StreamInfo::StreamInfoImpl::setFilterChainName(absl::string_view)", 0x5000)],
          filter: { kind: "binary", op: "&&", left: pidIsParam, right: { kind: "mapGet", map: "fired", key: [tid] } },
          body: [
            {
              kind: "emit",
              event: "filterChain",
              fields: [
                { name: "name", value: sv("si", { kind: "reg", name: "dx" }) },
                { name: "stack", value: { kind: "call", fn: "ustack", args: [int(3)] } },
              ],
              loc: at(31),
            },
          ],
        },
      ]),
      uprobe(
        "p2",
        40,
        "Envoy::Event::FileEventImpl::assignEvents",
        [{ symbols: [sym("_ZZN5Envoy5Event13FileEventImpl12assignEventsEjP10event_baseEN3$_18__invokeEisPv", "Envoy::Event::FileEventImpl::assignEvents(unsigned int, event_base*)::$_1::__invoke(int, short, void*)", 0x6000)], body: [
          { kind: "emit", event: "wakeEnd", fields: [{ name: "fd", value: { kind: "intCast", type: { kind: "int", bits: 32, signed: true }, operand: { kind: "reg", name: "di" } } }], loc: at(41) },
          { kind: "mapDelete", map: "fired", key: [tid], loc: at(42) },
        ] }],
        "uretprobe",
      ),
      { ...uprobe("p3", 50, "Envoy::Gone::since128", [], "uprobe", true), skipped: "no function of envoy matches 'Envoy::Gone::since128'" },
      { id: "p4", loc: at(60), attach: { kind: "interval", unit: "s", value: 5 }, filter: null, attachments: [], body: [{ kind: "printf", format: "tick\n", args: [], loc: at(61) }] },
    ],
  });
}
