// The TLS variant of the accept flow (trace-envoy-accept-flow-ssl): inside each libevent callback
// of a followed connection, which SslSocket methods run and what the reads and writes on the socket
// return — the TLS handshake and the first request as the worker thread sees them.
//
//   probec build examples/envoy/tls-read-write.probe.ts --binary envoy=/usr/local/bin/envoy
import { deref, events, map, param, perThread, pid, probe, tracepoint, uprobe, uretprobe, binary, printf } from "probec";
import type { i32, i64, u8, u32 } from "probec";

const envoy = binary("envoy");
const envoyPid = param.int("ENVOY_PID");

const followed = map<i32, u8>();
const inCallback = perThread<i32>();

export const ev = events<{
  accepted: { fd: i32 };
  callback: { fd: i32; events: u32 };
  callbackDone: {};
  ssl: { probe: string };
  io: { probe: string; fd: i32; ret: i64 };
  epollCtl: { fd: i32; op: i32; events: u32 };
  closed: { fd: i32 };
}>();

tracepoint("syscalls:sys_exit_accept4", { when: () => pid === envoyPid }, (t) => {
  if (t.args.ret < 0) return;
  followed.set(t.args.ret, 1);
  ev.accepted({ fd: t.args.ret });
});

tracepoint("syscalls:sys_enter_epoll_ctl", { when: () => pid === envoyPid }, (t) => {
  if (!followed.has(t.args.fd)) return;
  // struct epoll_event starts with its u32 event mask.
  const mask = deref.u32(t.args.event);
  ev.epollCtl({ fd: t.args.fd, op: t.args.op, events: mask });
  if (mask & 0x1) printf("EPOLL_CTL_ADD/MOD ReadReady(EPOLLIN)\n");
  if (mask & 0x4) printf("EPOLL_CTL_ADD/MOD WriteReady(EPOLLOUT)\n");
  if (mask & 0x80000000) printf("EPOLL_CTL_ADD/MOD EdgeTrigger\n");
});

const fileEventCallback = envoy.fn("Envoy::Event::FileEventImpl::assignEvents::{lambda}");

uprobe(fileEventCallback, { when: () => pid === envoyPid }, (f) => {
  const fd = f.arg(0).i32();
  if (followed.has(fd)) {
    inCallback.set(fd);
    ev.callback({ fd, events: f.arg(1).u32() });
  }
});

uretprobe(fileEventCallback, { when: () => pid === envoyPid && inCallback.has() }, () => {
  inCallback.delete();
  ev.callbackDone({});
});

uprobe(envoy.fn("Envoy::Extensions::TransportSockets::Tls::SslSocket::*", { optional: true }), { when: () => pid === envoyPid && inCallback.has() }, () => {
  ev.ssl({ probe });
});

// The socket reads and writes made while a followed fd's callback runs, one probe per syscall.
const io = ["read", "readv", "recvfrom", "recvmsg", "write", "writev", "sendto", "sendmsg"] as const;
for (const sc of io) {
  tracepoint(`syscalls:sys_exit_${sc}`, { when: () => pid === envoyPid && inCallback.has() }, (t) => {
    ev.io({ probe, fd: inCallback.get(), ret: t.args.ret });
  });
}

tracepoint("syscalls:sys_enter_close", { when: () => pid === envoyPid }, (t) => {
  const fd = t.args.fd;
  if (followed.has(fd)) {
    ev.closed({ fd });
    followed.delete(fd);
  }
});
