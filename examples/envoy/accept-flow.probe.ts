// The seed investigation (trace-envoy-accept-flow.bt), ported: follow one connection from the
// kernel's accept through Envoy's listener, the TLS inspector, the filter-chain choice and the epoll
// wake rounds of the worker thread that handles it.
//
//   probec build examples/envoy/accept-flow.probe.ts --binary envoy=/usr/local/bin/envoy
//   probec run examples/envoy/accept-flow.probe.ts --binary envoy=… --param ENVOY_PID=1234
//
// The seed learns the accepted socket's addresses from a kretprobe on inet_csk_accept. Kernels
// without kprobes cannot load that, so it is behind `--define kprobes=true`; by default the peer
// address comes from accept4's own sockaddr and the local port from the bind() that created the
// listener.
import {
  AF_INET, EPOLL_CTL_ADD, begin, binary, cast, deref, elapsed, end, events, kretprobe, kstack, kstruct, map,
  ntop, option, param, perThread, pid, printf, probe, tid, time, tracepoint, uprobe, uretprobe, uptr, ustack,
} from "probec";
import type { i16, i32, i64, KStack, ptr, SizedString, Span, u8, u16, u32, u64, UStack } from "probec";

const envoy = binary("envoy");
const envoyPid = param.int("ENVOY_PID");
/** Load the kretprobe on inet_csk_accept (needs kprobes). */
const useKprobes = option.bool("kprobes", false);
/** Only connections accepted on this port are followed (the seed's Istio inbound port). */
const listenPort = option.int("listenPort", 15006);

interface SockPair {
  daddr: u32;
  dport: u16;
  saddr: u32;
  lport: u16;
}

// ---- the seed's maps, same names
const sockpair = perThread<SockPair>();
const sockpair_exist = perThread<u8>();
const watchedWakeRound = perThread<u32>();
const fdFired = perThread<u8>();
const fd2sockpair = map<i32, SockPair>();
const fd2sockopt = map<[i32, i32, i32, i32], u8>();
const tid2Waketime = perThread<u64>();
const tid2epollNrFdReady = perThread<i64>();
const last_epoll_wait_args = perThread<[i32, ptr, i32, i32]>();
// ---- without kprobes: the listener's port by fd, and accept4's arguments until it returns
const boundPort = map<i32, u16>();
const acceptArgs = perThread<[i32, ptr]>();

export const ev = events<{
  /** The kernel finished the TCP handshake (kretprobe inet_csk_accept). */
  handshaked: { daddr: string; dport: u16; saddr: string; lport: u16; qlen: u32; qmax: u32 };
  /** accept4 returned the connection's fd. */
  accepted: { fd: i32; daddr: string; dport: u16; saddr: string; lport: u16; stack: UStack };
  setsockopt: { fd: i32; level: i32; optname: i32; optval: i32; optlen: i32 };
  epollCtl: { elapsed: u64; epfd: i32; op: i32; fd: i32; event: ptr };
  epollCtlAdd: { fd: i32; stack: UStack };
  /** A worker's wake round: from epoll_wait returning to the next epoll_wait. */
  wakeRound: Span<{ startedAt: u64; fdReady: i64 }, { runnableNs: u64; fdReady: i64; lastEpfd: i32; lastEvents: ptr; lastMaxevents: i32; lastTimeout: i32 }>;
  /** libevent called the FileEventImpl callback of a followed fd. */
  eventFired: Span<{ fd: i32; events: i16; fileEvent: ptr; kstack: KStack }, {}>;
  tlsInspector: { probe: string };
  serverName: { name: SizedString };
  alpnSet: {};
  filterChain: { name: SizedString; stack: UStack };
  closed: { fd: i32 };
}>();

begin(() => {
  printf("Tracing Envoy. Hit Ctrl-C to end.\n");
  printf("#define EPOLL_CTL_ADD 1\n #define EPOLL_CTL_DEL 2\n #define EPOLL_CTL_MOD 3\n");
});

/** The seed's way: the accepted socket from the kernel (needs kprobes). */
const sockpairFromKernel = () => {
  kretprobe("inet_csk_accept", { when: () => pid === envoyPid }, (k) => {
    const sk = kstruct<"sock">(k.retval);
    const family = sk.__sk_common.skc_family;
    if (family !== AF_INET) {
      printf("not support IPv6.\n");
      return;
    }
    const lport = sk.__sk_common.skc_num;
    if (listenPort !== lport) return;
    let dport = sk.__sk_common.skc_dport;
    // Destination port is big endian, it must be flipped
    dport = (dport >> 8) | ((dport << 8) & 0x00ff00);
    time("%H:%M:%S ");
    ev.handshaked({
      daddr: ntop(sk.__sk_common.skc_daddr),
      dport,
      saddr: ntop(sk.__sk_common.skc_rcv_saddr),
      lport,
      qlen: sk.sk_ack_backlog,
      qmax: sk.sk_max_ack_backlog,
    });
    sockpair.set({ daddr: sk.__sk_common.skc_daddr, dport, saddr: sk.__sk_common.skc_rcv_saddr, lport });
    sockpair_exist.set(1);
    watchedWakeRound.set(tid);
  });
};

/** The same facts from syscalls only: bind() gives the listener's port, accept4() the peer. */
const sockpairFromSyscalls = () => {
  tracepoint("syscalls:sys_enter_bind", { when: () => pid === envoyPid }, (t) => {
    const addr = kstruct<"sockaddr_in">(t.args.umyaddr);
    if (addr.sin_family === AF_INET) boundPort.set(t.args.fd, (addr.sin_port >> 8) | ((addr.sin_port << 8) & 0xff00));
  });
  tracepoint("syscalls:sys_enter_accept4", { when: () => pid === envoyPid }, (t) => {
    acceptArgs.set([t.args.fd, t.args.upeer_sockaddr]);
  });
  tracepoint("syscalls:sys_exit_accept4", { when: () => pid === envoyPid && acceptArgs.has() }, (t) => {
    const args = acceptArgs.get();
    acceptArgs.delete();
    if (t.args.ret < 0) return;
    // The sockaddr is the caller's memory, and it went through a map: say so for the reads.
    const peer = kstruct<"sockaddr_in">(uptr(args[1]));
    if (peer.sin_family !== AF_INET) return;
    // A worker's listen fd is a dup of the one bound: an unknown port is followed too.
    const lport = boundPort.get(args[0]);
    if (lport !== 0 && lport !== listenPort) return;
    const dport = (peer.sin_port >> 8) | ((peer.sin_port << 8) & 0xff00);
    sockpair.set({ daddr: peer.sin_addr.s_addr, dport, saddr: 0, lport });
    sockpair_exist.set(1);
    watchedWakeRound.set(tid);
  });
};

if (useKprobes) sockpairFromKernel();
else sockpairFromSyscalls();

tracepoint("syscalls:sys_exit_accept4", { when: () => pid === envoyPid && sockpair_exist.has() }, (t) => {
  const fd = t.args.ret;
  if (fd < 0) return;
  const pair = sockpair.get();
  fd2sockpair.set(fd, pair);
  if (!watchedWakeRound.has()) ev.wakeRound.begin({ startedAt: tid2Waketime.get(), fdReady: tid2epollNrFdReady.get() });
  fdFired.set(1);
  sockpair.delete();
  sockpair_exist.delete();
  ev.accepted({ fd, daddr: ntop(pair.daddr), dport: pair.dport, saddr: ntop(pair.saddr), lport: pair.lport, stack: ustack() });
});

tracepoint("syscalls:sys_enter_setsockopt", { when: () => pid === envoyPid }, (t) => {
  const fd = t.args.fd;
  if (fd2sockpair.has(fd)) {
    const optval = deref.i32(t.args.optval);
    ev.setsockopt({ fd, level: t.args.level, optname: t.args.optname, optval, optlen: t.args.optlen });
    fd2sockopt.set([fd, t.args.level, t.args.optname, optval], 1);
  }
});

tracepoint("syscalls:sys_enter_epoll_ctl", { when: () => pid === envoyPid }, (t) => {
  const fd = t.args.fd;
  if (fd2sockpair.has(fd)) {
    ev.epollCtl({ elapsed, epfd: t.args.epfd, op: t.args.op, fd, event: t.args.event });
    if (t.args.op === EPOLL_CTL_ADD) ev.epollCtlAdd({ fd, stack: ustack(12) });
  }
});

// The end of a wake round: the worker goes back to epoll_wait.
tracepoint("syscalls:sys_enter_epoll_wait", { when: () => pid === envoyPid }, (t) => {
  if (watchedWakeRound.has()) {
    const runnableStartTime = tid2Waketime.get();
    if (runnableStartTime !== 0) {
      const last = last_epoll_wait_args.get();
      ev.wakeRound.end({
        runnableNs: elapsed - runnableStartTime,
        fdReady: tid2epollNrFdReady.get(),
        lastEpfd: last[0],
        lastEvents: last[1],
        lastMaxevents: last[2],
        lastTimeout: last[3],
      });
    }
  }
  tid2Waketime.delete();
  watchedWakeRound.delete();
  tid2epollNrFdReady.delete();
  last_epoll_wait_args.set([t.args.epfd, t.args.events, t.args.maxevents, t.args.timeout]);
});

// The start of a wake round.
tracepoint("syscalls:sys_exit_epoll_wait", { when: () => pid === envoyPid }, (t) => {
  tid2Waketime.set(elapsed);
  tid2epollNrFdReady.set(t.args.ret);
});

// libevent calls the static invoker of the capture-less lambda in FileEventImpl::assignEvents
// with (fd, events, FileEventImpl*).
const fileEventCallback = envoy.fn("Envoy::Event::FileEventImpl::assignEvents::{lambda}");

uprobe(fileEventCallback, { when: () => pid === envoyPid }, (f) => {
  const fd = f.arg(0).i32();
  if (fd2sockpair.has(fd)) {
    if (!watchedWakeRound.has()) ev.wakeRound.begin({ startedAt: tid2Waketime.get(), fdReady: tid2epollNrFdReady.get() });
    ev.eventFired.begin({ fd, events: f.arg(1).i16(), fileEvent: f.arg(2).ptr(), kstack: kstack() });
    fdFired.set(1);
    watchedWakeRound.set(tid);
  }
});

uretprobe(fileEventCallback, { when: () => pid === envoyPid && fdFired.has() }, () => {
  ev.eventFired.end({});
  fdFired.delete();
});

uprobe(envoy.fn("Envoy::Extensions::ListenerFilters::TlsInspector::**::*"), { when: () => pid === envoyPid && fdFired.has() }, () => {
  ev.tlsInspector({ probe });
});

// SNI as the TLS inspector saw it in the ClientHello.
uprobe(
  envoy.fn("Envoy::Extensions::ListenerFilters::TlsInspector::Filter::onServername", { optional: true }),
  { when: () => pid === envoyPid && fdFired.has() },
  (f) => ev.serverName({ name: f.arg(0).stringView() }),
);

uprobe(envoy.fn("Envoy::Network::ConnectionSocketImpl::setRequestedApplicationProtocols"), { when: () => pid === envoyPid && fdFired.has() }, () => {
  ev.alpnSet({});
});

// void setFilterChainName(absl::string_view filter_chain_name): the seed read str(reg("si")) and
// reg("dx"); probec finds the string_view's registers for the binary at hand.
uprobe(envoy.fn("Envoy::StreamInfo::StreamInfoImpl::setFilterChainName"), { when: () => pid === envoyPid && fdFired.has() }, (f) => {
  const name = f.arg(0).stringView();
  ev.filterChain({ name, stack: ustack(3) });
});

tracepoint("syscalls:sys_enter_close", { when: () => pid === envoyPid }, (t) => {
  const fd = cast.i32(t.args.fd);
  if (fd < 0) return;
  if (fd2sockpair.has(fd)) ev.closed({ fd });
  fd2sockpair.delete(fd);
});

end(() => {
  last_epoll_wait_args.clear();
  tid2Waketime.clear();
  tid2epollNrFdReady.clear();
});

