// Typed events: what a probe reports to programs. Declare the events once with `events<…>()`, emit
// them from handlers, and the runtime gives back records of the same types:
//
//   // accept.probe.ts
//   export const ev = events<{ accepted: { fd: i32; stack: UStack }; wake: Span<{ ready: i64 }> }>();
//   tracepoint("syscalls:sys_exit_accept4", (t) => ev.accepted({ fd: t.args.ret, stack: ustack() }));
//
//   // a consumer
//   type E = EventsOf<typeof import("./accept.probe.js")>;
//   // E["accepted"] is { fd: number; stack: StackFrames }, E["wake.begin"] is { ready: number }
//
// Every event also carries the time, pid, tid and comm of the thread that emitted it (the runtime
// adds them as `EventEnvelope`).
import type { KStack, SizedString, StackFrames, UStack } from "./types.js";

/** A value an event field can hold. */
export type EventValue = number | boolean | string | SizedString | UStack | KStack | readonly EventValue[] | { readonly [k: string]: EventValue };

/** An event's record: named fields. */
export type EventRecord = object;

/**
 * An event that opens and closes a duration: `begin` and `end` records. The runtime pairs a begin
 * with the next end of the same span on the same thread into one timeline slice.
 */
export interface Span<Begin extends EventRecord = {}, End extends EventRecord = {}> {
  /** @internal type marker. */
  readonly __span: [Begin, End];
}

/** What `events<…>()` takes: event name → record type or `Span<…>`. */
export type EventSchema = { readonly [name: string]: EventRecord };

/** The emitters of a schema: `ev.name(record)`, or `ev.name.begin(record)` / `.end(record)` for spans. */
export type EventEmitters<S extends EventSchema> = {
  readonly [K in keyof S]: S[K] extends Span<infer B, infer E>
    ? { begin(record: B): void; end(record: E): void }
    : (record: S[K]) => void;
};

/** A declared set of events; export it so consumers can derive the record types with {@link EventsOf}. */
export type EventSet<S extends EventSchema> = EventEmitters<S> & { readonly __events?: S };

/**
 * Declares the events a probe file emits. Field types use the probe value types (`i32`, `u16`,
 * `SizedString`, `UStack`…); the compiler checks every emit against them.
 */
export function events<S extends EventSchema>(): EventSet<S> {
  const noop = () => undefined;
  const spanEmitter = { begin: noop, end: noop };
  // Any name is an emitter that is also callable as a span: run time never emits anything.
  return new Proxy({}, { get: () => Object.assign(() => undefined, spanEmitter) }) as EventSet<S>;
}

/**
 * Emits an event without declaring it first: its fields' types are inferred from the values.
 * Prefer `events<…>()` when a program reads the events (it keeps them typed end to end).
 * `{ span: "begin" }` / `{ span: "end" }` makes it one end of a duration named `name`.
 */
export function emit(name: string, record: EventRecord, options?: { span?: "begin" | "end" }): void {
  void name;
  void record;
  void options;
}

/** Emits the beginning or end of a duration without declaring it (see {@link Span}). */
export const span = {
  /** Opens span `name` on this thread (event `name.begin`). */
  begin(name: string, record: EventRecord = {}): void {
    void name;
    void record;
  },
  /** Closes span `name` on this thread (event `name.end`). */
  end(name: string, record: EventRecord = {}): void {
    void name;
    void record;
  },
};

/** A value as the runtime decodes it: stacks become frames, everything else keeps its type. */
export type Decoded<T> = T extends UStack | KStack
  ? StackFrames
  : T extends SizedString
    ? SizedString
    : T extends readonly unknown[]
      ? { readonly [I in keyof T]: Decoded<T[I]> }
      : T extends object
        ? { readonly [K in keyof T]: Decoded<T[K]> }
        : T;

type Flatten<S extends EventSchema> = {
  [K in keyof S & string as S[K] extends Span<any, any> ? never : K]: Decoded<S[K]>;
} & {
  [K in keyof S & string as S[K] extends Span<any, any> ? `${K}.begin` : never]: S[K] extends Span<infer B, any> ? Decoded<B> : never;
} & {
  [K in keyof S & string as S[K] extends Span<any, any> ? `${K}.end` : never]: S[K] extends Span<any, infer E> ? Decoded<E> : never;
};

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/**
 * The decoded record type of every event of a set: `EventsOf<typeof ev>["accepted"]`.
 * Given a module type (`typeof import("./x.probe.js")`), it merges every exported event set.
 * Span events appear as `name.begin` and `name.end`.
 */
export type EventsOf<M> = M extends EventSet<infer S>
  ? Flatten<S>
  : UnionToIntersection<{ [K in keyof M]: M[K] extends EventSet<infer S> ? Flatten<S> : never }[keyof M]>;

/** What the runtime adds to every event it decodes. */
export interface EventEnvelope {
  /** The event's name (`accepted`, `wake.begin`…). */
  readonly event: string;
  /** bpftrace's `nsecs` when it was emitted (CLOCK_MONOTONIC nanoseconds). */
  readonly ts: number;
  readonly pid: number;
  readonly tid: number;
  readonly comm: string;
}
