// A network connection's life on its worker: created (ConnectionImpl's constructor), woken by its
// file event (onFileEvent), paused and resumed (readDisable). Stable from Envoy 1.19 to 1.37 (the
// return type of readDisable changed in 1.2x; its mangled name did not).
import { events, uprobe } from "probec";
import type { u8, u32 } from "probec";
import type { EnvoySetOptions } from "./options.js";

export const connectionEvents = events<{
  /** Network::ConnectionImpl was constructed; `connected` is false for an upstream still connecting. */
  connectionCreated: { connected: u8 };
  /** ConnectionImpl::onFileEvent: the socket is ready; `events` is FileReadyType (1 read, 2 write, 4 closed). */
  connectionFileEvent: { events: u32 };
  /** ConnectionImpl::readDisable(disable). */
  connectionReadDisable: { disable: u8 };
}>();

export interface ConnectionEventsOptions extends EnvoySetOptions {
  /** Also report every file event (one per wake-up of each connection: busy). Default true. */
  fileEvents?: boolean;
}

/** Probes Network::ConnectionImpl; emits {@link connectionEvents}. */
export function connectionLifecycle(o: ConnectionEventsOptions): void {
  const ev = connectionEvents;
  // (Dispatcher&, ConnectionSocketPtr&&, TransportSocketPtr&&, StreamInfo&, bool connected):
  // the C1 and C2 constructors share one address in these builds and are probed once.
  uprobe(o.envoy.fn("Envoy::Network::ConnectionImpl::ConnectionImpl"), { when: o.when }, (f) => {
    ev.connectionCreated({ connected: f.arg(4).u8() });
  });
  const { fileEvents = true } = o;
  if (fileEvents) {
    uprobe(o.envoy.fn("Envoy::Network::ConnectionImpl::onFileEvent(unsigned int)"), { when: o.when }, (f) => {
      ev.connectionFileEvent({ events: f.arg(0).u32() });
    });
  }
  uprobe(o.envoy.fn("Envoy::Network::ConnectionImpl::readDisable(bool)"), { when: o.when }, (f) => {
    ev.connectionReadDisable({ disable: f.arg(0).u8() });
  });
}
