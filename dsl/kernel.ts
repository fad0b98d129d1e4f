// Kernel struct types for casts (`kstruct<"sock">(retval)`), resolved by bpftrace from the kernel's BTF.
// Only the fields probes commonly read are declared; an embedded struct is typed by its interface,
// a pointer field as `ptr` (cast it again to follow it).
import type { i32, ptr, u16, u32, u8 } from "./types.js";

/** `struct sock_common`: the part of a socket shared by every protocol. Addresses and `skc_dport` are in network byte order. */
export interface sock_common {
  readonly skc_daddr: u32;
  readonly skc_rcv_saddr: u32;
  readonly skc_dport: u16;
  /** The local port in host byte order. */
  readonly skc_num: u16;
  readonly skc_family: u16;
  readonly skc_state: u8;
  readonly skc_bound_dev_if: i32;
  readonly skc_v6_daddr: in6_addr;
  readonly skc_v6_rcv_saddr: in6_addr;
}

/** `struct sock`. */
export interface sock {
  readonly __sk_common: sock_common;
  readonly sk_ack_backlog: u32;
  readonly sk_max_ack_backlog: u32;
  readonly sk_rcvbuf: i32;
  readonly sk_sndbuf: i32;
  readonly sk_protocol: u16;
  readonly sk_type: u16;
  readonly sk_mark: u32;
}

/** `struct in_addr`. */
export interface in_addr {
  readonly s_addr: u32;
}

/** `struct in6_addr` (read it whole with `ntop(AF_INET6, ptr)`). */
export interface in6_addr {
  readonly __in6: "in6_addr";
}

/** `struct sockaddr`. */
export interface sockaddr {
  readonly sa_family: u16;
}

/** `struct sockaddr_in`. `sin_port` is in network byte order. */
export interface sockaddr_in {
  readonly sin_family: u16;
  readonly sin_port: u16;
  readonly sin_addr: in_addr;
}

/** `struct sockaddr_in6`. */
export interface sockaddr_in6 {
  readonly sin6_family: u16;
  readonly sin6_port: u16;
  readonly sin6_flowinfo: u32;
  readonly sin6_addr: in6_addr;
  readonly sin6_scope_id: u32;
}

/** The kernel structs `kstruct` can cast to, by their C name. */
export interface KernelStructs {
  sock: sock;
  sock_common: sock_common;
  in_addr: in_addr;
  in6_addr: in6_addr;
  sockaddr: sockaddr;
  sockaddr_in: sockaddr_in;
  sockaddr_in6: sockaddr_in6;
}

/**
 * Casts a pointer to a kernel struct (bpftrace `(struct sock *)p`) so its fields can be read:
 * `const sk = kstruct<"sock">(k.retval); sk.__sk_common.skc_family`.
 */
export function kstruct<N extends keyof KernelStructs>(pointer: ptr): KernelStructs[N] {
  void pointer;
  return {} as KernelStructs[N];
}
