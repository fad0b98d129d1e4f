// Symbolises stack frames bpftrace printed as bare addresses: the address is placed in a mapping of
// a traced process (captured while it lived), turned into the ELF virtual address of that file,
// looked up in its function symbols (our ELF reader) and demangled (our demangler).
import type { StackFrame } from "../decode/stack.js";
import type { Demangler } from "../decode/stack.js";
import type { DecodedMap } from "../types.js";
import { readProcMaps, type Mapping } from "./process-maps.js";
import { SymbolTables } from "./symbol-tables.js";

export interface StackSymbolizer {
  /** Remember this process's mappings now (and again later, as libraries load). */
  notePid(pid: number): void;
  /** Fill in symbols of address-only frames in map keys and values. */
  symbolizeMaps(maps: DecodedMap[]): void;
  /** The stack with address-only frames symbolised where possible (new frames; the input is frozen). */
  symbolizeFrames(frames: readonly StackFrame[]): StackFrame[];
}

function isFrameList(v: unknown): v is StackFrame[] {
  return Array.isArray(v) && v.length > 0 && v.every((f) => typeof f === "object" && f !== null && "address" in f && "symbol" in f);
}

/** `v` with every stack inside it replaced by `replace(stack)`. */
export function mapStacks<T>(v: T, replace: (frames: StackFrame[]) => StackFrame[]): T {
  if (isFrameList(v)) return replace(v) as T;
  if (Array.isArray(v)) return v.map((e) => mapStacks(e, replace)) as T;
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, mapStacks(e, replace)])) as T;
  return v;
}

/**
 * Symbolises address-only frames through the mapping that holds each address and the symbol table
 * of the mapped file; subclasses say where mappings come from (a live process, a recording).
 */
export abstract class MappingStackSymbolizer implements StackSymbolizer {
  protected readonly tables: SymbolTables;

  constructor(demangle?: Demangler) {
    this.tables = new SymbolTables(demangle);
  }

  abstract notePid(pid: number): void;

  /** The mapping that holds `address`, if any is known. */
  protected abstract find(address: number): Mapping | null;

  symbolizeFrames(frames: readonly StackFrame[]): StackFrame[] {
    return frames.map((f) => {
      if (f.symbol !== null || f.address === null) return f;
      const address = Number(f.address);
      const mapping = this.find(address);
      if (!mapping) return f;
      const hit = this.tables.lookup(mapping.path, address - mapping.start + mapping.offset);
      return { symbol: hit?.symbol ?? null, offset: hit?.offset ?? null, address: f.address, module: f.module ?? mapping.path };
    });
  }

  symbolizeMaps(maps: DecodedMap[]): void {
    const replace = (frames: StackFrame[]) => (frames.some((f) => f.symbol === null) ? this.symbolizeFrames(frames) : frames);
    for (const map of maps) {
      for (const entry of map.entries) {
        if (entry.key !== null) entry.key = mapStacks(entry.key, replace);
        entry.value = mapStacks(entry.value, replace);
      }
    }
  }
}

export class ProcessStackSymbolizer extends MappingStackSymbolizer {
  /** Mappings by pid; a later snapshot adds to (and overrides) an earlier one. */
  private readonly mappings = new Map<number, Map<number, Mapping>>();

  notePid(pid: number): void {
    const snapshot = readProcMaps(pid);
    if (snapshot === null) return;
    const known = this.mappings.get(pid) ?? new Map<number, Mapping>();
    for (const m of snapshot) known.set(m.start, m);
    this.mappings.set(pid, known);
  }

  get pids(): number[] {
    return [...this.mappings.keys()];
  }

  protected find(address: number): Mapping | null {
    for (const byStart of this.mappings.values()) {
      for (const m of byStart.values()) if (address >= m.start && address < m.end) return m;
    }
    return null;
  }

}
