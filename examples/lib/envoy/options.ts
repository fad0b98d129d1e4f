// What every Envoy probe set takes: the binary to probe and an optional filter. Written once here so
// each set reads the same options the same way.
import type { Binary } from "probec";

export interface EnvoySetOptions {
  /** The Envoy binary, `binary("envoy")` in the script; bound with `--binary envoy=PATH`. */
  envoy: Binary;
  /**
   * The filter of every probe of the set (a bpftrace predicate), e.g.
   * `() => pid === envoyPid` or `() => pid === envoyPid && following.has()`.
   */
  when: () => boolean | number;
}
