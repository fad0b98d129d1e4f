// Probe sources in, IR out: what each construct of the DSL lowers to.
import { describe, expect, test } from "vitest";
import type { Probe, ProbeProgram, Stmt } from "../../../compiler/ir/program.js";
import { compileProbeFile } from "../../../compiler/frontend/index.js";
import { compileSource, fixture, repoRoot, where } from "./helpers.js";

const HEADER = `import * as p from "probec";
import { binary, param, option, map, perThread, scalar, count, hist, lhist, sum, uprobe, uretprobe, tracepoint, kprobe, kretprobe, interval, begin, end, emit, span, events, printf, time, ustack, kstack, kstruct, str, ntop, deref, cast, pid, tid, comm, elapsed, exit, print } from "probec";
import type { i16, i32, u8, u16, u32, u64, ptr, SizedString, Span, UStack } from "probec";
const envoy = binary("envoy");
`;

function lower(src: string, defines?: Record<string, string>): ProbeProgram {
  const r = compileSource(HEADER + src, defines ? { defines } : {});
  expect(r.diagnostics.filter((d) => d.category === "error"), JSON.stringify(r.diagnostics)).toEqual([]);
  return r.program!;
}

/** The IR without source locations, for compact comparisons. */
function strip<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "loc" ? undefined : v)));
}

const body = (p: Probe): Stmt[] => strip(p.body);

describe("declarations", () => {
  test("maps take their names from their variables and their types from the type arguments", () => {
    const prog = lower(`
const fd2sock = map<i32, { daddr: u32; dport: u16 }>();
const opts = map<[i32, i32], u8>();
const wakeStart = perThread<u64>();
const last = scalar<string>();
const calls = count<string>();
const total = count();
const lat = hist<[string, u32]>();
const sizes = lhist(0, 100, 10);
`);
    expect(strip(prog.maps)).toEqual([
      { name: "fd2sock", shape: "map", key: [{ kind: "int", bits: 32, signed: true }], value: { kind: "record", fields: [{ name: "daddr", type: { kind: "int", bits: 32, signed: false } }, { name: "dport", type: { kind: "int", bits: 16, signed: false } }] } },
      { name: "opts", shape: "map", key: [{ kind: "int", bits: 32, signed: true }, { kind: "int", bits: 32, signed: true }], value: { kind: "int", bits: 8, signed: false } },
      { name: "wakeStart", shape: "perThread", key: [{ kind: "int", bits: 32, signed: false }], value: { kind: "int", bits: 64, signed: false } },
      { name: "last", shape: "scalar", key: null, value: { kind: "string" } },
      { name: "calls", shape: "map", key: [{ kind: "string" }], value: { kind: "aggregate", fn: "count" } },
      { name: "total", shape: "scalar", key: null, value: { kind: "aggregate", fn: "count" } },
      { name: "lat", shape: "map", key: [{ kind: "string" }, { kind: "int", bits: 32, signed: false }], value: { kind: "aggregate", fn: "hist" } },
      { name: "sizes", shape: "scalar", key: null, value: { kind: "aggregate", fn: "lhist" } },
    ]);
    expect(prog.maps[0]!.loc).toEqual({ file: "probe.probe.ts", line: 6, column: 17 });
  });

  test("params become positional parameters in declaration order, once each", () => {
    const prog = lower(`const a = param.int("ENVOY_PID");\nconst b = param.str("NAME", { default: "x" });\nconst c = param.int("ENVOY_PID");`);
    expect(prog.params).toEqual([
      { name: "ENVOY_PID", kind: "int", position: 1 },
      { name: "NAME", kind: "string", position: 2, default: "x" },
    ]);
  });

  test("declared events get tags in order; spans become name.begin / name.end", () => {
    const prog = lower(`export const ev = events<{ accepted: { fd: i32; stack: UStack }; wake: Span<{ ready: i32 }> }>();`);
    expect(strip(prog.events)).toEqual([
      { name: "accepted", tag: 1, fields: [{ name: "fd", type: { kind: "int", bits: 32, signed: true } }, { name: "stack", type: { kind: "ustack" } }] },
      { name: "wake.begin", tag: 2, fields: [{ name: "ready", type: { kind: "int", bits: 32, signed: true } }], span: { name: "wake", phase: "begin" } },
      { name: "wake.end", tag: 3, fields: [], span: { name: "wake", phase: "end" } },
    ]);
  });

  test("binaries are declared once with their location", () => {
    const prog = lower(`const again = binary("envoy");\nconst other = binary("libssl");`);
    expect(prog.binaries.map((b) => b.name)).toEqual(["envoy", "libssl"]);
    expect(prog.binaries[0]!.loc.line).toBe(4);
  });
});

describe("probe points", () => {
  test("uprobe targets: one pattern, alternatives, anyOf, optional", () => {
    const prog = lower(`
uprobe(envoy.fn("A::f"), () => {});
uprobe(envoy.fn(["A::f", "B::f"]), () => {});
uprobe(envoy.fn.firstOf(["A::f", "B::f"], { optional: true }), () => {});
uretprobe(envoy.fn.anyOf(["A::f", "B::f"]), () => {});
`);
    expect(prog.probes.map((p) => p.attach)).toEqual([
      { kind: "uprobe", binary: "envoy", patterns: ["A::f"], select: "first", optional: false },
      { kind: "uprobe", binary: "envoy", patterns: ["A::f", "B::f"], select: "first", optional: false },
      { kind: "uprobe", binary: "envoy", patterns: ["A::f", "B::f"], select: "first", optional: true },
      { kind: "uretprobe", binary: "envoy", patterns: ["A::f", "B::f"], select: "all", optional: false },
    ]);
    expect(prog.probes.map((p) => p.id)).toEqual(["p0", "p1", "p2", "p3"]);
  });

  test("a probe point declares what the mangled name cannot say: return type and member-ness", () => {
    const prog = lower(`
uprobe(envoy.fn("Envoy::Network::TcpListenerImpl::onSocketEvent", { returns: "absl::Status" }), () => {});
uprobe(envoy.fn("A::make", { member: false }), () => {});
`);
    expect(prog.probes.map((p) => p.attach)).toEqual([
      { kind: "uprobe", binary: "envoy", patterns: ["Envoy::Network::TcpListenerImpl::onSocketEvent"], select: "first", optional: false, returns: "absl::Status" },
      { kind: "uprobe", binary: "envoy", patterns: ["A::make"], select: "first", optional: false, member: false },
    ]);
  });

  test("orElse: alternatives with their own handlers form one group", () => {
    const prog = lower(`
uprobe(envoy.fn("Envoy::StreamInfo::StreamInfoImpl::setFilterChainName"), (f) => emit("chain", { name: f.arg(0).stringView() }))
  .orElse(envoy.fn("Envoy::Network::ConnectionInfoSetterImpl::setFilterChainInfo"), (f) => emit("chain", { name: str(f.arg(0).ptr(), 16) }));
`);
    const [a, b] = prog.probes;
    expect(a!.attach).toMatchObject({ kind: "uprobe", group: { id: "p0", index: 0 } });
    expect(b!.attach).toMatchObject({ kind: "uprobe", patterns: ["Envoy::Network::ConnectionInfoSetterImpl::setFilterChainInfo"], group: { id: "p0", index: 1 } });
    expect(body(a!)).toEqual([{ kind: "emit", event: "chain", fields: [{ name: "name", value: { kind: "uArg", index: 0, read: { as: "stringView" } } }] }]);
    expect(body(b!)[0]).toMatchObject({ kind: "emit", fields: [{ name: "name", value: { kind: "sizedStr", limit: 64 } }] });
  });

  test("tracepoints, kprobes, BEGIN/END, interval and profile", () => {
    const prog = lower(`
tracepoint("syscalls:sys_enter_close", () => {});
kprobe("tcp_v4_connect", (k) => printf("%d\\n", k.arg(0)));
kretprobe("inet_csk_accept", (k) => printf("%d\\n", k.retval));
begin(() => {});
end(() => {});
interval("500ms", () => {});
p.profile("99hz", () => {});
`);
    expect(prog.probes.map((x) => x.attach)).toEqual([
      { kind: "tracepoint", category: "syscalls", name: "sys_enter_close" },
      { kind: "kprobe", function: "tcp_v4_connect" },
      { kind: "kretprobe", function: "inet_csk_accept" },
      { kind: "begin" },
      { kind: "end" },
      { kind: "interval", unit: "ms", value: 500 },
      { kind: "profile", unit: "hz", value: 99 },
    ]);
    expect(body(prog.probes[1]!)).toEqual([{ kind: "printf", format: "%d\n", args: [{ kind: "kArg", index: 0 }] }]);
    expect(body(prog.probes[2]!)).toEqual([{ kind: "printf", format: "%d\n", args: [{ kind: "builtin", name: "retval" }] }]);
  });

  test("a tracepoint missing from probec's table is typed from tracefs", () => {
    const prog = lower(`tracepoint("sched:sched_process_exit", (t) => emit("exit", { pid: t.args.pid, prio: t.args.prio }));`);
    expect(prog.probes[0]!.attach).toEqual({ kind: "tracepoint", category: "sched", name: "sched_process_exit" });
    expect(prog.events[0]!.fields.map((f) => [f.name, f.type])).toEqual([
      ["pid", { kind: "int", bits: 32, signed: true }],
      ["prio", { kind: "int", bits: 32, signed: true }],
    ]);
  });

  test("a when filter becomes the probe's predicate", () => {
    const prog = lower(`
const envoyPid = param.int("ENVOY_PID");
const fired = perThread<u8>();
uprobe(envoy.fn("A::f"), { when: () => pid === envoyPid && fired.has() }, () => {});
`);
    expect(strip(prog.probes[0]!.filter)).toEqual({
      kind: "binary", op: "&&",
      left: { kind: "binary", op: "==", left: { kind: "builtin", name: "pid" }, right: { kind: "param", name: "ENVOY_PID" } },
      // has() reads the presence map kept beside the value (a stored 0 is present).
      right: { kind: "binary", op: "!=", left: { kind: "mapGet", map: "fired__has", key: [{ kind: "builtin", name: "tid" }] }, right: { kind: "int", value: "0" } },
    });
  });
});

describe("handler bodies", () => {
  test("C++ argument reads by position, this, return values and the raw-register escape hatch", () => {
    const prog = lower(`
uprobe(envoy.fn("A::f"), (f) => emit("a", { s: f.arg(0).stringView(32), n: f.arg(1).u32(), self: f.this(), s2: f.arg(2).stdString(), c: f.arg(3).cstr(), raw: f.unsafeReg("si") }));
uretprobe(envoy.fn("A::g"), (r) => emit("b", { ret: r.ret.stringView(), v: r.ret.int() }));
`);
    expect(body(prog.probes[0]!)[0]).toEqual({
      kind: "emit",
      event: "a",
      fields: [
        { name: "s", value: { kind: "uArg", index: 0, read: { as: "stringView", limit: 32 } } },
        { name: "n", value: { kind: "uArg", index: 1, read: { as: "int", type: { kind: "int", bits: 32, signed: false } } } },
        { name: "self", value: { kind: "uThis" } },
        { name: "s2", value: { kind: "uArg", index: 2, read: { as: "stdString" } } },
        { name: "c", value: { kind: "uArg", index: 3, read: { as: "cstr" } } },
        { name: "raw", value: { kind: "rawReg", name: "si" } },
      ],
    });
    expect(prog.events[0]!.fields.map((f) => f.type.kind)).toEqual(["sizedString", "int", "pointer", "sizedString", "string", "int"]);
    expect(prog.events[0]!.fields[0]!.type).toEqual({ kind: "sizedString", limit: 32 });
    expect(body(prog.probes[1]!)[0]).toMatchObject({ fields: [{ value: { kind: "uRet", read: { as: "stringView" } } }, { value: { kind: "uRet", read: { as: "int" } } }] });
    // Reads carry their own location, so the ABI stage can point at the exact read.
    const read = prog.probes[0]!.body[0]!.kind === "emit" ? prog.probes[0]!.body[0]!.fields[0]!.value : null;
    expect(read && "loc" in read ? read.loc : null).toEqual({ file: "probe.probe.ts", line: 6, column: 48 });
  });

  test("a sized string's text and length", () => {
    const prog = lower(`uprobe(envoy.fn("A::f"), (f) => { const name = f.arg(0).stringView(); if (name.length > 0) printf("%s\\n", name.text); });`);
    const uArg = { kind: "uArg", index: 0, read: { as: "stringView" } };
    expect(body(prog.probes[0]!)).toEqual([
      {
        kind: "if",
        cond: { kind: "binary", op: ">", left: { kind: "tupleGet", operand: uArg, index: 1 }, right: { kind: "int", value: "0" } },
        then: [{ kind: "printf", format: "%s\n", args: [uArg] }],
        else: [],
      },
    ]);
  });

  test("locals: const values are inlined, let becomes a variable, names stay unique across blocks", () => {
    const prog = lower(`
const LIMIT = 10;
tracepoint("syscalls:sys_exit_read", (t) => {
  const limit = LIMIT * 2;
  let n = t.args.ret;
  if (n > limit) { const x = n - limit; n = x; } else { const x = 0; n += x + 1; }
  printf("%d\\n", n);
});`);
    expect(body(prog.probes[0]!)).toEqual([
      { kind: "let", name: "n", value: { kind: "tpArg", field: "ret" } },
      {
        kind: "if",
        cond: { kind: "binary", op: ">", left: { kind: "local", name: "n" }, right: { kind: "int", value: "20" } },
        then: [
          { kind: "let", name: "x", value: { kind: "binary", op: "-", left: { kind: "local", name: "n" }, right: { kind: "int", value: "20" } } },
          { kind: "assign", name: "n", value: { kind: "local", name: "x" } },
        ],
        else: [{ kind: "assign", name: "n", value: { kind: "binary", op: "+", left: { kind: "local", name: "n" }, right: { kind: "int", value: "1" } } }],
      },
      { kind: "printf", format: "%d\n", args: [{ kind: "local", name: "n" }] },
    ]);
  });

  test("same-named locals in two blocks get distinct bpftrace names", () => {
    const prog = lower(`tracepoint("syscalls:sys_exit_read", (t) => { if (t.args.ret > 0) { let a = t.args.ret; printf("%d", a); } else { let a = comm; printf("%s", a); } });`);
    const stmt = body(prog.probes[0]!)[0] as Extract<Stmt, { kind: "if" }>;
    expect(stmt.then[0]).toMatchObject({ kind: "let", name: "a" });
    expect(stmt.else[0]).toMatchObject({ kind: "let", name: "a_2" });
  });

  test("map operations, per-thread state and aggregations", () => {
    const prog = lower(`
const fd2sock = map<i32, { daddr: u32; dport: u16 }>();
const pair = perThread<{ daddr: u32; dport: u16 }>();
const opts = map<[i32, i32], u8>();
const calls = count<string>();
const lat = hist();
const sizes = lhist<string>(0, 100, 10);
tracepoint("syscalls:sys_exit_accept4", (t) => {
  const fd = t.args.ret;
  fd2sock.set(fd, pair.get());
  opts.set([fd, 6], 1);
  if (fd2sock.has(fd)) printf("%d\\n", fd2sock.get(fd).dport);
  fd2sock.delete(fd);
  pair.delete();
  calls.inc(comm);
  lat.add(elapsed);
  sizes.add(fd, comm);
  opts.clear();
});`);
    const fdKey = [{ kind: "intCast", type: { kind: "int", bits: 32, signed: true }, operand: { kind: "local", name: "fd" } }];
    const tidKey = [{ kind: "builtin", name: "tid" }];
    expect(body(prog.probes[0]!)).toEqual([
      { kind: "let", name: "fd", value: { kind: "tpArg", field: "ret" } },
      { kind: "mapSet", map: "fd2sock", key: fdKey, value: { kind: "mapGet", map: "pair", key: tidKey } },
      // fd2sock's has() is used: every write and delete also keeps its presence map.
      { kind: "mapSet", map: "fd2sock__has", key: fdKey, value: { kind: "int", value: "1" } },
      { kind: "mapSet", map: "opts", key: [fdKey[0], { kind: "int", value: "6", type: { kind: "int", bits: 32, signed: true } }], value: { kind: "int", value: "1", type: { kind: "int", bits: 8, signed: false } } },
      {
        kind: "if",
        cond: { kind: "binary", op: "!=", left: { kind: "mapGet", map: "fd2sock__has", key: fdKey }, right: { kind: "int", value: "0" } },
        then: [{ kind: "printf", format: "%d\n", args: [{ kind: "tupleGet", operand: { kind: "mapGet", map: "fd2sock", key: fdKey }, index: 1 }] }],
        else: [],
      },
      { kind: "mapDelete", map: "fd2sock", key: fdKey },
      { kind: "mapDelete", map: "fd2sock__has", key: fdKey },
      { kind: "mapDelete", map: "pair", key: tidKey },
      { kind: "mapAggregate", map: "calls", key: [{ kind: "builtin", name: "comm" }], fn: "count", args: [] },
      { kind: "mapAggregate", map: "lat", key: null, fn: "hist", args: [{ kind: "builtin", name: "elapsed" }] },
      { kind: "mapAggregate", map: "sizes", key: [{ kind: "builtin", name: "comm" }], fn: "lhist", args: [{ kind: "local", name: "fd" }, { kind: "int", value: "0" }, { kind: "int", value: "100" }, { kind: "int", value: "10" }] },
      { kind: "mapClear", map: "opts" },
    ]);
  });

  test("kernel struct casts: pointer fields with ->, embedded structs with .", () => {
    const prog = lower(`kretprobe("inet_csk_accept", (k) => { const sk = kstruct<"sock">(k.retval); printf("%s %d\\n", ntop(sk.__sk_common.skc_daddr), sk.sk_ack_backlog); });`);
    const cast = { kind: "structCast", struct: "sock", operand: { kind: "builtin", name: "retval" } };
    expect(body(prog.probes[0]!)).toEqual([
      {
        kind: "printf",
        format: "%s %d\n",
        args: [
          { kind: "call", fn: "ntop", args: [{ kind: "field", operand: { kind: "field", operand: cast, name: "__sk_common", arrow: true }, name: "skc_daddr", arrow: false }] },
          { kind: "field", operand: cast, name: "sk_ack_backlog", arrow: true },
        ],
      },
    ]);
  });

  test("printf with a template literal picks directives from the types", () => {
    const prog = lower(`tracepoint("syscalls:sys_enter_setsockopt", (t) => printf(\`fd=\${t.args.fd} comm=\${comm} 100% optval=\${t.args.optval} tid=\${tid}\\n\`));`);
    expect(body(prog.probes[0]!)).toEqual([
      {
        kind: "printf",
        format: "fd=%d comm=%s 100%% optval=%p tid=%u\n",
        args: [{ kind: "tpArg", field: "fd" }, { kind: "builtin", name: "comm" }, { kind: "tpArg", field: "optval" }, { kind: "builtin", name: "tid" }],
      },
    ]);
  });

  test("stacks, strings, deref, casts, time, exit and print", () => {
    const prog = lower(`
const calls = count<string>();
tracepoint("syscalls:sys_enter_setsockopt", (t) => {
  emit("x", { u: ustack(3), k: kstack(), s: str(t.args.optval), v: deref.i32(t.args.optval), c: cast.u16(t.args.fd) });
  time("%H:%M:%S ");
  print(calls);
  exit();
});`);
    expect(body(prog.probes[0]!)).toEqual([
      {
        kind: "emit",
        event: "x",
        fields: [
          { name: "u", value: { kind: "call", fn: "ustack", args: [{ kind: "int", value: "3" }] } },
          { name: "k", value: { kind: "call", fn: "kstack", args: [] } },
          { name: "s", value: { kind: "call", fn: "str", args: [{ kind: "tpArg", field: "optval" }] } },
          { name: "v", value: { kind: "deref", type: { kind: "int", bits: 32, signed: true }, operand: { kind: "tpArg", field: "optval" } } },
          { name: "c", value: { kind: "intCast", type: { kind: "int", bits: 16, signed: false }, operand: { kind: "tpArg", field: "fd" } } },
        ],
      },
      { kind: "printf", format: "%s", args: [{ kind: "call", fn: "strftime", args: [{ kind: "str", value: "%H:%M:%S " }, { kind: "builtin", name: "nsecs" }] }] },
      { kind: "printMap", map: "calls" },
      { kind: "exit" },
    ]);
    expect(prog.events[0]!.fields.map((f) => f.type)).toEqual([
      { kind: "ustack", frames: 3 },
      { kind: "kstack" },
      { kind: "string" },
      { kind: "int", bits: 32, signed: true },
      { kind: "int", bits: 16, signed: false },
    ]);
  });

  test("declared events are checked and narrowed to their schema; undeclared spans", () => {
    const prog = lower(`
export const ev = events<{ closed: { fd: i32; port: u16 }; wake: Span<{}, { n: u64 }> }>();
tracepoint("syscalls:sys_enter_close", (t) => {
  ev.closed({ port: 80, fd: t.args.fd });
  ev.wake.end({ n: elapsed });
  span.begin("round", { fd: t.args.fd });
  emit("round", { fd: t.args.fd }, { span: "end" });
});`);
    expect(body(prog.probes[0]!)).toEqual([
      { kind: "emit", event: "closed", fields: [{ name: "fd", value: { kind: "intCast", type: { kind: "int", bits: 32, signed: true }, operand: { kind: "tpArg", field: "fd" } } }, { name: "port", value: { kind: "int", value: "80", type: { kind: "int", bits: 16, signed: false } } }] },
      { kind: "emit", event: "wake.end", fields: [{ name: "n", value: { kind: "builtin", name: "elapsed" } }] },
      { kind: "emit", event: "round.begin", fields: [{ name: "fd", value: { kind: "tpArg", field: "fd" } }] },
      { kind: "emit", event: "round.end", fields: [{ name: "fd", value: { kind: "tpArg", field: "fd" } }] },
    ]);
    expect(prog.events.map((e) => [e.name, e.tag, e.span?.phase ?? null])).toEqual([
      ["closed", 1, null],
      ["wake.begin", 2, "begin"],
      ["wake.end", 3, "end"],
      ["round.begin", 4, "begin"],
      ["round.end", 5, "end"],
    ]);
  });

  test("conditions known at build time keep only the taken branch", () => {
    const prog = lower(`
const verbose = option.bool("verbose", false);
const port = option.int("port", 15006);
tracepoint("syscalls:sys_enter_close", (t) => {
  if (verbose) printf("closing\\n");
  printf("%d\\n", port === 15006 ? 1 : 2);
});
if (option.bool("kprobes", false)) kretprobe("inet_csk_accept", () => {});
`, { port: "80", kprobes: "true" });
    expect(body(prog.probes[0]!)).toEqual([{ kind: "printf", format: "%d\n", args: [{ kind: "int", value: "2" }] }]);
    expect(prog.probes.map((x) => x.attach.kind)).toEqual(["tracepoint", "kretprobe"]);
  });

  test("arithmetic on a ptr is on bytes: the pointer is made an integer first", () => {
    const prog = lower(`tracepoint("syscalls:sys_enter_bind", (t) => printf("%u\\n", deref.u16(t.args.umyaddr + 2)));`);
    expect(body(prog.probes[0]!)[0]).toEqual({
      kind: "printf",
      format: "%u\n",
      args: [{ kind: "deref", type: { kind: "int", bits: 16, signed: false }, operand: { kind: "binary", op: "+", left: { kind: "intCast", type: { kind: "int", bits: 64, signed: false }, operand: { kind: "tpArg", field: "umyaddr" } }, right: { kind: "int", value: "2" } } }],
    });
  });

  test("uptr marks a saved user pointer for the reads through it", () => {
    const prog = lower(`const saved = perThread<ptr>();\ntracepoint("syscalls:sys_exit_accept4", () => printf("%u\\n", kstruct<"sockaddr_in">(p.uptr(saved.get())).sin_port));`);
    expect(body(prog.probes[0]!)[0]).toMatchObject({
      args: [{ kind: "field", arrow: true, name: "sin_port", operand: { kind: "structCast", struct: "sockaddr_in", operand: { kind: "call", fn: "uptr", args: [{ kind: "mapGet", map: "saved" }] } } }],
    });
  });

  test("a run-time ternary and logical operators", () => {
    const prog = lower(`tracepoint("syscalls:sys_exit_read", (t) => printf("%d\\n", t.args.ret > 0 && !(t.args.ret === 5) ? -t.args.ret : ~0));`);
    expect(body(prog.probes[0]!)[0]).toMatchObject({
      kind: "printf",
      args: [{ kind: "ternary", cond: { kind: "binary", op: "&&", right: { kind: "unary", op: "!" } }, then: { kind: "unary", op: "-" }, else: { kind: "int", value: "-1" } }],
    });
  });

  test("a top-level for…of over a constant array declares one probe per element", () => {
    const prog = lower(`for (const name of ["read", "write"] as const) tracepoint(\`syscalls:sys_enter_\${name}\`, () => printf("${"$"}{name}\\n"));`);
    expect(prog.probes.map((x) => x.attach)).toEqual([
      { kind: "tracepoint", category: "syscalls", name: "sys_enter_read" },
      { kind: "tracepoint", category: "syscalls", name: "sys_enter_write" },
    ]);
  });
});

test("constant arrays and strings can be computed with at build time", () => {
  const src = [
    'const calls = ["read", "write", "close"].filter((n) => !n.startsWith("c")).map((n) => "syscalls:sys_enter_" + n);',
    'const label = ["a", "b"].join("+") + " " + [1, 2].indexOf(2) + " " + calls.includes("syscalls:sys_enter_read");',
    'for (const tp of calls.concat(["syscalls:sys_enter_bind"])) tracepoint(tp as "syscalls:sys_enter_bind", () => printf(label));',
  ].join("\n");
  const prog = lower(src);
  expect(prog.probes.map((x) => (x.attach.kind === "tracepoint" ? x.attach.name : ""))).toEqual(["sys_enter_read", "sys_enter_write", "sys_enter_bind"]);
  expect(body(prog.probes[0]!)).toEqual([{ kind: "printf", format: "a+b 1 true", args: [] }]);
});

describe("library composition", () => {
  const r = compileProbeFile(fixture("composed.probe.ts"), { cwd: repoRoot });

  test("compiles without diagnostics", () => {
    expect(where(r)).toEqual([]);
  });

  test("each instantiation gets its own maps, mangled on the second", () => {
    // `accepted.has()` is used, so each instantiation's map has its presence map too.
    expect(r.program!.maps.map((m) => m.name)).toEqual(["accepted", "perSide", "accepted_2", "perSide_2", "accepted__has", "accepted_2__has"]);
  });

  test("captured options, constants and string unions are inlined", () => {
    const [inb, outb] = r.program!.probes;
    expect(strip(inb!.filter)).toEqual({ kind: "binary", op: "==", left: { kind: "builtin", name: "pid" }, right: { kind: "int", value: "42" } });
    expect(body(inb!)[1]).toMatchObject({ kind: "mapSet", map: "accepted", value: { kind: "int", value: "15006" } });
    expect(body(inb!)[2]).toMatchObject({ kind: "mapSet", map: "accepted__has", value: { kind: "int", value: "1" } });
    expect(body(inb!)[3]).toMatchObject({ kind: "mapAggregate", map: "perSide", key: [{ kind: "str", value: "in" }] });
    expect(body(outb!)[1]).toMatchObject({ kind: "mapSet", map: "accepted_2", value: { kind: "int", value: "15001" } });
    expect(body(outb!)[2]).toMatchObject({ kind: "mapSet", map: "accepted_2__has", value: { kind: "int", value: "1" } });
    expect(body(outb!)[3]).toMatchObject({ kind: "mapAggregate", map: "perSide_2", key: [{ kind: "str", value: "out" }] });
  });

  test("maps and binaries passed into a library are the caller's", () => {
    const [, , a, b] = r.program!.probes;
    expect(a!.attach).toMatchObject({ binary: "envoy", patterns: ["Envoy::Network::TcpListenerImpl::onSocketEvent"] });
    expect(b!.attach).toMatchObject({ binary: "envoy", patterns: ["Envoy::Network::TcpListenerImpl::onAccept"] });
    expect(body(a!)[1]).toMatchObject({ kind: "if", cond: { left: { kind: "mapGet", map: "accepted__has" } } });
    expect(body(b!)[1]).toMatchObject({ kind: "if", cond: { left: { kind: "mapGet", map: "accepted_2__has" } } });
  });

  test("probes declared in the library point at the library's source", () => {
    expect(r.program!.probes[0]!.loc).toEqual({ file: "test/fixtures/probes/lib/listener.ts", line: 23, column: 3 });
  });
});
