// How Envoy sets up its listen sockets (part 2 of the seed's series, trace-envoy-socket-listen):
// bind() with the address, the socket options it sets, listen(), and the dup() that gives every
// worker its own copy of a listening fd — each with the user stack that did it.
//
//   probec build examples/envoy/listen-socket.probe.ts --binary envoy=/usr/local/bin/envoy
//   probec run … --param ENVOY_PID=$(pidof envoy)     (start tracing before Envoy starts listening)
import { AF_INET, cast, deref, events, map, ntop, param, perThread, pid, tracepoint, ustack } from "probec";
import type { i32, u16, u32, UStack } from "probec";

const envoyPid = param.int("ENVOY_PID");
const stackFrames = 16;

/** What bind() gave each fd: the address and the port in host byte order. */
const boundAddr = map<i32, { addr: u32; port: u16 }>();
/** new fd → the fd it duplicates. */
const dupOf = map<i32, i32>();
const dupArg = perThread<i32>();

export const ev = events<{
  bind: { fd: i32; ip: string; port: u16; stack: UStack };
  setsockopt: { fd: i32; level: i32; optname: i32; optval: i32; optlen: i32; stack: UStack };
  listen: { fd: i32; ip: string; port: u16; backlog: i32; stack: UStack };
  /** listen() on an fd that is a dup of a bound one (a worker's copy). */
  listenOnDup: { fd: i32; oldFd: i32; ip: string; port: u16 };
  dup: { oldFd: i32; newFd: i32 };
}>();

const isEnvoy = () => pid === envoyPid;

tracepoint("syscalls:sys_enter_bind", { when: isEnvoy }, (t) => {
  const family = deref.u16(t.args.umyaddr);
  if (family !== AF_INET) return;
  const port = deref.u16(t.args.umyaddr + 2);
  const hostPort = cast.u16((port >> 8) | ((port << 8) & 0xff00));
  const addr = deref.u32(t.args.umyaddr + 4);
  boundAddr.set(t.args.fd, { addr, port: hostPort });
  ev.bind({ fd: t.args.fd, ip: ntop(addr), port: hostPort, stack: ustack(stackFrames) });
});

tracepoint("syscalls:sys_enter_setsockopt", { when: isEnvoy }, (t) => {
  ev.setsockopt({
    fd: t.args.fd,
    level: t.args.level,
    optname: t.args.optname,
    optval: deref.i32(t.args.optval),
    optlen: t.args.optlen,
    stack: ustack(stackFrames),
  });
});

tracepoint("syscalls:sys_enter_dup", { when: isEnvoy }, (t) => {
  dupArg.set(cast.i32(t.args.fildes));
});

tracepoint("syscalls:sys_exit_dup", { when: () => pid === envoyPid && dupArg.has() }, (t) => {
  const oldFd = dupArg.get();
  dupArg.delete();
  if (t.args.ret < 0) return;
  dupOf.set(t.args.ret, oldFd);
  ev.dup({ oldFd, newFd: t.args.ret });
});

tracepoint("syscalls:sys_enter_listen", { when: isEnvoy }, (t) => {
  const fd = t.args.fd;
  const old = dupOf.get(fd);
  if (old !== 0 && !boundAddr.has(fd)) {
    const bound = boundAddr.get(old);
    ev.listenOnDup({ fd, oldFd: old, ip: ntop(bound.addr), port: bound.port });
    return;
  }
  const bound = boundAddr.get(fd);
  ev.listen({ fd, ip: ntop(bound.addr), port: bound.port, backlog: t.args.backlog, stack: ustack(stackFrames) });
});

tracepoint("syscalls:sys_enter_close", { when: isEnvoy }, (t) => {
  const fd = cast.i32(t.args.fd);
  boundAddr.delete(fd);
  dupOf.delete(fd);
});
