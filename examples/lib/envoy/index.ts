// probec's Envoy probe library: reusable probe sets, each a function taking options and emitting
// its own typed events. A script instantiates the sets it needs and re-exports their events:
//
//   import { binary, param, pid } from "probec";
//   import { tlsInspector, tlsInspectorEvents } from "../lib/envoy/index.js";
//   export { tlsInspectorEvents };
//   const envoy = binary("envoy");
//   const envoyPid = param.int("ENVOY_PID");
//   tlsInspector({ envoy, when: () => pid === envoyPid });
//
// Each set resolves on Envoy 1.19 through 1.37 shapes; `probec check` shows what each probe point
// resolves to on the binaries at hand.
export type { EnvoySetOptions } from "./options.js";
export { listenerAccept, listenerEvents, type ListenerAcceptOptions } from "./listener.js";
export { tlsInspector, tlsInspectorEvents, type TlsInspectorOptions } from "./tls-inspector.js";
export { filterChainSelection, filterChainEvents, type FilterChainOptions } from "./filter-chain.js";
export { connectionLifecycle, connectionEvents, type ConnectionEventsOptions } from "./connection.js";
export { http1Codec, http1Events, type Http1CodecOptions } from "./http1.js";
export { epollWakeRounds, epollEvents, type EpollWakeOptions } from "./epoll.js";
