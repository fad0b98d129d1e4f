// Epoll wake rounds of Envoy's threads, from the kernel's tracepoints: a round starts when
// epoll_wait returns with ready descriptors and ends when the thread calls epoll_wait again. The
// time in between is what the thread spent on the events of that round.
import { elapsed, events, perThread, tracepoint } from "probec";
import type { i64, Span, u64 } from "probec";

export const epollEvents = events<{
  /** One wake round of a thread: `ready` descriptors from epoll_wait, `busyNs` until it waited again. */
  wakeRound: Span<{ ready: i64 }, { busyNs: u64 }>;
}>();

export interface EpollWakeOptions {
  /** Which threads: `() => pid === envoyPid`. */
  when: () => boolean | number;
  /** Rounds where epoll_wait returned 0 (a timeout) are left out unless this is true. */
  timeouts?: boolean;
}

const roundStart = perThread<u64>();

/** Traces epoll wake rounds; emits the {@link epollEvents} `wakeRound` span. */
export function epollWakeRounds(o: EpollWakeOptions): void {
  const ev = epollEvents;
  const { timeouts = false } = o;
  const minReady = timeouts ? 0 : 1;
  tracepoint("syscalls:sys_exit_epoll_wait", { when: o.when }, (t) => {
    if (t.args.ret < minReady) return;
    roundStart.set(elapsed);
    ev.wakeRound.begin({ ready: t.args.ret });
  });
  tracepoint("syscalls:sys_enter_epoll_wait", { when: o.when }, () => {
    if (!roundStart.has()) return;
    ev.wakeRound.end({ busyNs: elapsed - roundStart.get() });
    roundStart.delete();
  });
}
