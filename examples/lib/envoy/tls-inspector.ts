// The TLS inspector listener filter: it peeks at the ClientHello, reports ALPN and SNI, and lets the
// listener pick a filter chain from them. Its entry points moved between versions (onRead → onData,
// parseClientHello gained `bytes_already_processed` in 1.23); the SNI parameter went from absl's
// string_view class to std::string_view (1.26) — probec reads it whatever its layout.
import { events, uprobe } from "probec";
import type { SizedString, u32, u64 } from "probec";
import type { EnvoySetOptions } from "./options.js";

export const tlsInspectorEvents = events<{
  /** Filter::onAccept: the inspector starts on an accepted socket. */
  tlsOnAccept: {};
  /** Filter::parseClientHello: `bytes` of ClientHello handed to BoringSSL. */
  tlsClientHello: { bytes: u64 };
  /** Filter::onALPN: the ALPN extension, `bytes` long in wire format. */
  tlsAlpn: { bytes: u32 };
  /** Filter::onServername: the SNI (empty when the ClientHello carries none). */
  tlsServerName: { name: SizedString };
}>();

const FILTER = "Envoy::Extensions::ListenerFilters::TlsInspector::Filter";

export interface TlsInspectorOptions extends EnvoySetOptions {
  /** Bytes of the SNI copied (the true length is always reported). */
  nameLimit?: number;
}

/** Probes the TLS inspector; emits {@link tlsInspectorEvents}. */
export function tlsInspector(o: TlsInspectorOptions): void {
  const ev = tlsInspectorEvents;
  const { nameLimit: limit = 200 } = o;
  uprobe(o.envoy.fn(`${FILTER}::onAccept(Envoy::Network::ListenerFilterCallbacks&)`), { when: o.when }, () => {
    ev.tlsOnAccept({});
  });
  // 1.23+ takes (data, len, bytes_already_processed), 1.19–1.22 (data, len): `len` is parameter 1 in both.
  const parse = o.envoy.fn.firstOf([
    `${FILTER}::parseClientHello(void const*, unsigned long, unsigned long)`,
    `${FILTER}::parseClientHello(void const*, unsigned long)`,
  ]);
  uprobe(parse, { when: o.when }, (f) => {
    ev.tlsClientHello({ bytes: f.arg(1).u64() });
  });
  uprobe(o.envoy.fn(`${FILTER}::onALPN(unsigned char const*, unsigned int)`), { when: o.when }, (f) => {
    ev.tlsAlpn({ bytes: f.arg(1).u32() });
  });
  // `onServername(absl::string_view)`: absl's class up to 1.25, std::string_view after; the
  // pattern's `absl::string_view` would not match the latter, so the point names the method only.
  uprobe(o.envoy.fn(`${FILTER}::onServername`), { when: o.when }, (f) => {
    ev.tlsServerName({ name: f.arg(0).stringView(limit) });
  });
}
