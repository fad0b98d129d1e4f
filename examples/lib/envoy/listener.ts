// The listener's accept path, stable from Envoy 1.19 to 1.37: the listen socket becomes readable
// (TcpListenerImpl::onSocketEvent), the connection is accepted (IoSocketHandleImpl::accept), handed
// to the listener (ActiveTcpListener::onAccept), runs its listener filters and becomes a
// connection (ActiveTcpSocket::continueFilterChain / newConnection).
import { events, uprobe } from "probec";
import type { u8 } from "probec";
import type { EnvoySetOptions } from "./options.js";

export const listenerEvents = events<{
  /** The listen socket is readable: one or more connections wait in the accept queue. */
  listenerSocketEvent: {};
  /** IoSocketHandleImpl::accept was called (once per queued connection, once more until EAGAIN). */
  listenerAcceptCall: {};
  /** ActiveTcpListener::onAccept: an accepted socket reaches the listener. */
  listenerOnAccept: {};
  /** The listener filters are done with the socket; `success` is false when one rejected it. */
  socketContinueFilterChain: { success: u8 };
  /** ActiveTcpSocket::newConnection: the socket leaves the listener filters for a filter chain. */
  socketNewConnection: {};
}>();

export interface ListenerAcceptOptions extends EnvoySetOptions {
  /** Also report every accept() call (on a busy listener that is one extra event per wake-up). */
  acceptCalls?: boolean;
}

/** Probes the listener's accept path; emits {@link listenerEvents}. */
export function listenerAccept(o: ListenerAcceptOptions): void {
  const ev = listenerEvents;
  // `absl::Status onSocketEvent(short)` since 1.34 (same mangled name): the status is returned
  // through a hidden pointer, which moves the arguments by one register, so the flags are not read.
  uprobe(o.envoy.fn("Envoy::Network::TcpListenerImpl::onSocketEvent"), { when: o.when }, () => {
    ev.listenerSocketEvent({});
  });
  const { acceptCalls = false } = o;
  if (acceptCalls) {
    uprobe(o.envoy.fn("Envoy::Network::IoSocketHandleImpl::accept(sockaddr*, unsigned int*)"), { when: o.when }, () => {
      ev.listenerAcceptCall({});
    });
  }
  uprobe(o.envoy.fn("Envoy::Server::ActiveTcpListener::onAccept"), { when: o.when }, () => {
    ev.listenerOnAccept({});
  });
  uprobe(o.envoy.fn("Envoy::Server::ActiveTcpSocket::continueFilterChain(bool)"), { when: o.when }, (f) => {
    ev.socketContinueFilterChain({ success: f.arg(0).u8() });
  });
  uprobe(o.envoy.fn("Envoy::Server::ActiveTcpSocket::newConnection()"), { when: o.when }, () => {
    ev.socketNewConnection({});
  });
}
