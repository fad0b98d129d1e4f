// Maps: state that lives in the kernel between probe firings. The variable a map is declared with
// names it in bpftrace (`const fd2sock = map<…>()` becomes `@fd2sock`).
//
// Keys are a value type or a tuple of them (`map<[i32, i32], u8>` is keyed by two ints); values are
// a value type, a tuple or a record (`{ daddr: u32; dport: u16 }` is stored as a bpftrace tuple).
// A missing key reads as zero — bpftrace has no "undefined".

/** A hash map from `K` to `V` (bpftrace `@name[key] = value`). */
export interface BpfMap<K, V> {
  /** The value stored under `key`, or zeros when there is none. */
  get(key: K): V;
  /** Stores `value` under `key`. */
  set(key: K, value: V): void;
  /** Removes `key` (bpftrace `delete(@m[key])`). */
  delete(key: K): void;
  /**
   * True when a value is stored under `key` (set and not deleted since), a stored 0 included.
   * bpftrace 0.17 cannot test for a key, so probec keeps a presence map `@name__has` beside the
   * values of maps whose `has()` is used.
   */
  has(key: K): boolean;
  /** Removes every entry (bpftrace `clear(@m)`). */
  clear(): void;
}

/** Per-thread state: a map keyed by the current thread (bpftrace `@name[tid]`). */
export interface PerThread<V> {
  /** This thread's value, or zero when it has none. */
  get(): V;
  /** Sets this thread's value. */
  set(value: V): void;
  /** Forgets this thread's value. */
  delete(): void;
  /** True when this thread has a value, 0 included (see {@link BpfMap.has}). */
  has(): boolean;
  /** Forgets the values of every thread. */
  clear(): void;
}

/** One global value (bpftrace `@name`). */
export interface Scalar<V> {
  /** The value, or zero when none was set. */
  get(): V;
  /** Sets the value. */
  set(value: V): void;
  /** Forgets the value. */
  delete(): void;
  /** True when a value is stored, 0 included (see {@link BpfMap.has}). */
  has(): boolean;
  /** Forgets the value (bpftrace `clear(@m)`). */
  clear(): void;
}

/** Key arguments of an aggregation method: none when the aggregation has no key. */
export type KeyArgs<K> = [K] extends [void] ? [] : [key: K];

/** A count per key (bpftrace `@name[key] = count()`). */
export interface CountMap<K = void> {
  /** Adds one under `key`. */
  inc(...key: KeyArgs<K>): void;
  /** Removes every entry. */
  clear(): void;
}

/** An aggregation of values per key: sum, min, max, avg, stats, hist or lhist. */
export interface Aggregation<K = void> {
  /** Adds `value` (under `key`) to the aggregation. */
  add(value: number, ...key: KeyArgs<K>): void;
  /** Removes every entry. */
  clear(): void;
}

function hashMap<K, V>(): BpfMap<K, V> {
  const noop = () => undefined;
  return { get: () => undefined as V, set: noop, delete: noop, has: () => false, clear: noop };
}

/** Declares a hash map: `const fd2sock = map<i32, { daddr: u32; dport: u16 }>()`. */
export function map<K, V>(): BpfMap<K, V> {
  return hashMap<K, V>();
}

/** Declares per-thread state: `const wakeStart = perThread<u64>()` becomes `@wakeStart[tid]`. */
export function perThread<V>(): PerThread<V> {
  const m = hashMap<void, V>();
  return { get: () => m.get(), set: (v) => m.set(undefined, v), delete: () => undefined, has: () => false, clear: () => undefined };
}

/** Declares one global value: `const lastSeen = scalar<u64>()` becomes `@lastSeen`. */
export function scalar<V>(): Scalar<V> {
  return perThread<V>();
}

const aggregation: Aggregation<never> & CountMap<never> = { add: () => undefined, inc: () => undefined, clear: () => undefined };

/** Declares a count per key: `const calls = count<string>(); calls.inc(probe)`. */
export function count<K = void>(): CountMap<K> {
  return aggregation as CountMap<K>;
}
/** Declares a sum per key (bpftrace `sum()`). */
export function sum<K = void>(): Aggregation<K> {
  return aggregation as Aggregation<K>;
}
/** Declares a minimum per key (bpftrace `min()`). */
export function min<K = void>(): Aggregation<K> {
  return aggregation as Aggregation<K>;
}
/** Declares a maximum per key (bpftrace `max()`). */
export function max<K = void>(): Aggregation<K> {
  return aggregation as Aggregation<K>;
}
/** Declares an average per key (bpftrace `avg()`). */
export function avg<K = void>(): Aggregation<K> {
  return aggregation as Aggregation<K>;
}
/** Declares count/average/total per key (bpftrace `stats()`). */
export function stats<K = void>(): Aggregation<K> {
  return aggregation as Aggregation<K>;
}
/** Declares a power-of-two histogram per key (bpftrace `hist()`). */
export function hist<K = void>(): Aggregation<K> {
  return aggregation as Aggregation<K>;
}
/** Declares a linear histogram from `min` to `max` in buckets of `step` (bpftrace `lhist()`). */
export function lhist<K = void>(min: number, max: number, step: number): Aggregation<K> {
  void min;
  void max;
  void step;
  return aggregation as Aggregation<K>;
}

/** Prints a map or aggregation now (bpftrace `print(@m)`); all maps are printed at exit anyway. */
export function print(m: BpfMap<unknown, unknown> | PerThread<unknown> | Scalar<unknown> | CountMap<any> | Aggregation<any>): void {
  void m;
}
