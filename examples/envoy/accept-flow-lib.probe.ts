// The seed investigation (trace-envoy-accept-flow.bt) on top of probec's Envoy library: follow each
// connection from the kernel's accept through Envoy's listener, the TLS inspector, the filter-chain
// choice, the connection and its HTTP/1 codec, with the epoll wake rounds of the worker thread.
// The same file builds and runs unchanged against Envoy 1.19-shaped and 1.3x-shaped binaries, GCC or
// clang builds: the library's probe points carry the alternatives, probec the ABI.
//
//   probec check examples/envoy/accept-flow-lib.probe.ts --binary envoy=./envoy-1.19 --binary envoy=./envoy-1.37
//   probec run examples/envoy/accept-flow-lib.probe.ts --binary envoy=/usr/local/bin/envoy --param ENVOY_PID=1234
//
// What is the seed's own (the accepted socket's addresses, the descriptors it follows, setsockopt and
// epoll_ctl on them) stays here, from syscall tracepoints, so it runs on kernels without kprobes.
import { AF_INET, EPOLL_CTL_ADD, binary, cast, deref, events, kstack, kstruct, map, ntop, option, param, perThread, pid, tracepoint, uprobe, uptr, uretprobe, ustack } from "probec";
import type { i16, i32, KStack, ptr, Span, u16, u8, UStack } from "probec";
import {
  connectionLifecycle, epollWakeRounds, filterChainSelection, http1Codec, listenerAccept, tlsInspector,
} from "../lib/envoy/index.js";

export {
  connectionEvents, epollEvents, filterChainEvents, http1Events, listenerEvents, tlsInspectorEvents,
} from "../lib/envoy/index.js";

const envoy = binary("envoy");
const envoyPid = param.int("ENVOY_PID");
/** Only connections accepted on this port are followed; 0 follows every port. */
const listenPort = option.int("listenPort", 0);

export const seedEvents = events<{
  /** accept4 returned a connection to follow. */
  accepted: { fd: i32; peer: string; peerPort: u16; localPort: u16; stack: UStack };
  /** setsockopt on a followed connection (Envoy sets TCP_NODELAY). */
  setsockopt: { fd: i32; level: i32; optname: i32; optval: i32 };
  /** epoll_ctl ADD of a followed connection, with the code path that registered it. */
  epollCtlAdd: { fd: i32; stack: UStack };
  /** libevent ran the FileEventImpl callback of a followed connection. */
  eventFired: Span<{ fd: i32; events: i16; kstack: KStack }, {}>;
  closed: { fd: i32 };
}>();

// ---- which connections are followed
const boundPort = map<i32, u16>();
const acceptArgs = perThread<[i32, ptr]>();
const followed = map<i32, u8>();
/** Set while libevent runs the callback of a followed connection on this thread. */
const inFollowedEvent = perThread<u8>();

const ofEnvoy = () => pid === envoyPid;
const inConnection = () => pid === envoyPid && inFollowedEvent.has();

tracepoint("syscalls:sys_enter_bind", { when: ofEnvoy }, (t) => {
  const addr = kstruct<"sockaddr_in">(t.args.umyaddr);
  if (addr.sin_family === AF_INET) boundPort.set(t.args.fd, (addr.sin_port >> 8) | ((addr.sin_port << 8) & 0xff00));
});

tracepoint("syscalls:sys_enter_accept4", { when: ofEnvoy }, (t) => {
  acceptArgs.set([t.args.fd, t.args.upeer_sockaddr]);
});

tracepoint("syscalls:sys_exit_accept4", { when: () => pid === envoyPid && acceptArgs.has() }, (t) => {
  const args = acceptArgs.get();
  acceptArgs.delete();
  if (t.args.ret < 0) return;
  // A pointer kept in a map forgets it points into user memory: uptr() says so again.
  const peer = kstruct<"sockaddr_in">(uptr(args[1]));
  if (peer.sin_family !== AF_INET) return;
  const localPort = boundPort.get(args[0]);
  if (listenPort !== 0 && localPort !== 0 && localPort !== listenPort) return;
  const fd = cast.i32(t.args.ret);
  followed.set(fd, 1);
  seedEvents.accepted({
    fd,
    peer: ntop(peer.sin_addr.s_addr),
    peerPort: (peer.sin_port >> 8) | ((peer.sin_port << 8) & 0xff00),
    localPort,
    stack: ustack(),
  });
});

tracepoint("syscalls:sys_enter_setsockopt", { when: ofEnvoy }, (t) => {
  const fd = cast.i32(t.args.fd);
  if (followed.has(fd)) seedEvents.setsockopt({ fd, level: t.args.level, optname: t.args.optname, optval: deref.i32(t.args.optval) });
});

tracepoint("syscalls:sys_enter_epoll_ctl", { when: ofEnvoy }, (t) => {
  const fd = cast.i32(t.args.fd);
  if (followed.has(fd) && t.args.op === EPOLL_CTL_ADD) seedEvents.epollCtlAdd({ fd, stack: ustack(12) });
});

tracepoint("syscalls:sys_enter_close", { when: ofEnvoy }, (t) => {
  const fd = cast.i32(t.args.fd);
  if (followed.has(fd)) {
    seedEvents.closed({ fd });
    followed.delete(fd);
  }
});

// libevent calls the static invoker of the capture-less lambda in FileEventImpl::assignEvents with
// (fd, events, FileEventImpl*), on every Envoy version and compiler.
const fileEventCallback = envoy.fn("Envoy::Event::FileEventImpl::assignEvents::{lambda}");

uprobe(fileEventCallback, { when: ofEnvoy }, (f) => {
  const fd = f.arg(0).i32();
  if (followed.has(fd)) {
    inFollowedEvent.set(1);
    seedEvents.eventFired.begin({ fd, events: f.arg(1).i16(), kstack: kstack() });
  }
});

uretprobe(fileEventCallback, { when: inConnection }, () => {
  seedEvents.eventFired.end({});
  inFollowedEvent.delete();
});

// ---- the library's probe sets
// The listener and the TLS inspector's onAccept run in the listen socket's event, before the
// connection is followed; the rest runs in the connection's own events.
listenerAccept({ envoy, when: ofEnvoy });
tlsInspector({ envoy, when: ofEnvoy });
filterChainSelection({ envoy, when: inConnection });
connectionLifecycle({ envoy, when: inConnection });
http1Codec({ envoy, when: inConnection });
epollWakeRounds({ when: ofEnvoy });
