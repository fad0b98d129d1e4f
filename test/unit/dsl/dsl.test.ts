// The authoring API at run time (importable, harmless) and at the type level (typed end to end).
import { describe, expect, expectTypeOf, test } from "vitest";
import * as dsl from "../../../dsl/index.js";
import type { EventsOf, SizedString, Span, StackFrames, UStack, i32, u16 } from "../../../dsl/index.js";

describe("run time", () => {
  test("every declaration can be called without effect", () => {
    const envoy = dsl.binary("envoy");
    expect(envoy.name).toBe("envoy");
    const point = envoy.fn("A::b");
    expect(envoy.fn.firstOf(["A", "B"])).toBe(point);
    const chain = dsl.uprobe(point, (f) => f.arg(0).stringView());
    expect(chain.orElse(point, () => undefined)).toBe(chain);
    dsl.tracepoint("syscalls:sys_exit_accept4", (t) => t.args.ret);
    dsl.kprobe("tcp_v4_connect", () => undefined);
    dsl.begin(() => undefined);
    dsl.interval("1s", () => undefined);
    const m = dsl.map<i32, u16>();
    m.set(1, 2);
    expect(m.has(1)).toBe(false);
    dsl.perThread<number>().set(3);
    dsl.count<string>().inc("x");
    dsl.lhist(0, 10, 1).add(3);
    expect(dsl.param.int("P", { default: 7 })).toBe(7);
    expect(dsl.option.bool("kprobes", true)).toBe(true);
  });

  test("handler-side functions return placeholders, never traced data", () => {
    expect(dsl.str(0)).toBe("");
    expect(dsl.str(0, 5)).toEqual({ text: "", length: 5, truncated: false });
    expect(dsl.ntop(0)).toBe("");
    expect(dsl.deref.u32(0)).toBe(0);
    expect(dsl.cast.u16(70000)).toBe(70000);
    expect(dsl.ustack(3).__stack).toBe("user");
    expect(dsl.kstack().__stack).toBe("kernel");
    expect(dsl.AF_INET).toBe(2);
    expect(dsl.AF_INET6).toBe(10);
  });

  test("an event set's emitters and spans are callable", () => {
    const ev = dsl.events<{ a: { x: i32 }; s: Span<{ y: i32 }> }>();
    ev.a({ x: 1 });
    ev.s.begin({ y: 2 });
    ev.s.end({});
    dsl.emit("free", { x: 1 }, { span: "begin" });
    dsl.span.end("free");
  });

  test("the tracepoint table lists the syscalls probe files need, enter and exit", () => {
    for (const sc of ["accept", "accept4", "setsockopt", "bind", "listen", "epoll_ctl", "epoll_wait", "close", "read", "write", "readv", "writev", "recvfrom", "sendto", "recvmsg", "sendmsg"]) {
      expect(dsl.KNOWN_TRACEPOINTS).toContain(`syscalls:sys_enter_${sc}`);
      expect(dsl.KNOWN_TRACEPOINTS).toContain(`syscalls:sys_exit_${sc}`);
    }
  });
});

describe("types", () => {
  const ev = dsl.events<{
    accepted: { fd: i32; stack: UStack };
    chain: { name: SizedString; port: u16 };
    wake: Span<{ ready: i32 }, { ns: number }>;
  }>();

  test("EventsOf gives the decoded record of each event, spans as name.begin / name.end", () => {
    type E = EventsOf<typeof ev>;
    expectTypeOf<E["accepted"]>().toEqualTypeOf<{ readonly fd: number; readonly stack: StackFrames }>();
    expectTypeOf<E["chain"]["name"]>().toEqualTypeOf<SizedString>();
    expectTypeOf<E["wake.begin"]>().toEqualTypeOf<{ readonly ready: number }>();
    expectTypeOf<E["wake.end"]>().toEqualTypeOf<{ readonly ns: number }>();
  });

  test("EventsOf of a module merges every exported event set", () => {
    const other = dsl.events<{ closed: { fd: i32 } }>();
    type Module = { ev: typeof ev; other: typeof other; unrelated: number };
    type E = EventsOf<Module>;
    expectTypeOf<keyof E>().toEqualTypeOf<"accepted" | "chain" | "wake.begin" | "wake.end" | "closed">();
  });

  test("a probe module's exported events are typed for its consumers", () => {
    type E = EventsOf<typeof import("../../fixtures/probes/basic.probe.js")>;
    expectTypeOf<E["accepted"]>().toEqualTypeOf<{ readonly fd: number; readonly stack: StackFrames }>();
    expectTypeOf<E["filterChain"]["name"]>().toEqualTypeOf<SizedString>();
    expectTypeOf<E["wake.begin"]>().toEqualTypeOf<{ readonly ready: number }>();
  });

  test("emitters are typed by the schema", () => {
    expectTypeOf(ev.accepted).parameter(0).toEqualTypeOf<{ fd: i32; stack: UStack }>();
    expectTypeOf(ev.wake.begin).parameter(0).toEqualTypeOf<{ ready: i32 }>();
    // @ts-expect-error a field the schema does not have
    ev.accepted({ fd: 1, stack: dsl.ustack(), extra: 1 });
  });

  test("tracepoint args are typed from the table, and unknown ones are plain integers", () => {
    dsl.tracepoint("syscalls:sys_enter_setsockopt", (t) => {
      expectTypeOf(t.args.optname).toEqualTypeOf<number>();
      // @ts-expect-error no such field
      void t.args.nope;
    });
    dsl.tracepoint("sched:sched_switch", (t) => {
      expectTypeOf(t.args["prev_pid"]).toEqualTypeOf<number>();
    });
  });
});
