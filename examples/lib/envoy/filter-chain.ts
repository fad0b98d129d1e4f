// Which filter chain the listener picked for a connection, by name. Envoy changed how the name
// travels in 1.28 (PR #28804):
//   up to 1.27  StreamInfoImpl::setFilterChainName(absl::string_view)
//   1.28 on     ConnectionInfoSetterImpl::setFilterChainInfo(std::shared_ptr<const FilterChainInfo>)
//               and the name is FilterChainInfo::name(), a std::string member of the chain object.
// One probe with three alternatives (`.orElse`): the old method, then the new one as libc++ and as
// libstdc++ spell it (they lay the name out differently); the build attaches the one the binary has.
import { deref, events, str, uprobe } from "probec";
import type { ptr, SizedString } from "probec";
import type { EnvoySetOptions } from "./options.js";

export const filterChainEvents = events<{
  /** The filter chain chosen for the connection. */
  filterChain: { name: SizedString };
}>();

export interface FilterChainOptions extends EnvoySetOptions {
  /**
   * Bytes of the name copied on builds up to 1.27 (the true length is always reported). Default 64:
   * on 1.28+ builds the name is read with `str(pointer, length)`, which copies at most bpftrace's
   * default string size (64), so the default keeps both generations' text alike.
   */
  nameLimit?: number;
  /**
   * Byte offset of the `std::string` name inside the object a FilterChainInfo shared_ptr points to
   * (the fixture's FilterChainImpl: vptr, then the name: 8). Check it with `pahole` on your build.
   */
  nameOffset?: number;
  /**
   * Fail the build when no alternative resolves (default true). With false, a binary without any of
   * them builds with a warning. The alternatives form one `.orElse` group: the first that resolves
   * is attached.
   */
  required?: boolean;
}

// setFilterChainInfo's two layouts, told apart by the parameter's inline namespace: a pattern
// that writes `std::__1` matches libc++ builds only, while plain `std::shared_ptr` matches either
// library (the `.orElse` order tries libc++ first). The two lay the std::string out differently.
const SET_INFO_LIBCXX = "Envoy::Network::ConnectionInfoSetterImpl::setFilterChainInfo(std::__1::shared_ptr<const Envoy::Network::FilterChainInfo>)";
const SET_INFO_LIBSTDCXX = "Envoy::Network::ConnectionInfoSetterImpl::setFilterChainInfo(std::shared_ptr<const Envoy::Network::FilterChainInfo>)";

/** Probes the filter-chain choice on old and new Envoy alike; emits {@link filterChainEvents}. */
export function filterChainSelection(o: FilterChainOptions): void {
  const ev = filterChainEvents;
  const { nameLimit: limit = 64, nameOffset: offset = 8, required = true } = o;
  const point = { optional: !required };
  uprobe(o.envoy.fn("Envoy::StreamInfo::StreamInfoImpl::setFilterChainName", point), { when: o.when }, (f) => {
    ev.filterChain({ name: f.arg(0).stringView(limit) });
  })
    // libc++: short mode when bit 0 of byte 0 is clear (size = byte0 >> 1, text from byte 1);
    // long mode {cap | 1, size, data}.
    .orElse(o.envoy.fn(SET_INFO_LIBCXX, point), { when: o.when }, (f) => {
      // The shared_ptr is passed by invisible reference: arg 0 is its address, word 0 the object.
      const s: ptr = deref.ptr(f.arg(0).ptr()) + offset;
      const tag = deref.u8(s);
      let text: ptr = s + 1;
      let length = tag >> 1;
      if ((tag & 1) !== 0) {
        text = deref.ptr(s + 16);
        length = deref.u64(s + 8);
      }
      ev.filterChain({ name: str(text, length) });
    })
    // libstdc++: {char* data, size_t size, …} whatever the string's length.
    .orElse(o.envoy.fn(SET_INFO_LIBSTDCXX, point), { when: o.when }, (f) => {
      const s: ptr = deref.ptr(f.arg(0).ptr()) + offset;
      ev.filterChain({ name: str(deref.ptr(s), deref.u64(s + 8)) });
    });
}
