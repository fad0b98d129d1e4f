// Symbolises stack frames bpftrace printed as bare addresses: the address is placed in a mapping of
// a traced process (captured while it lived), turned into the ELF virtual address of that file,
// looked up in its function symbols (our ELF reader) and demangled (our demangler).
import type { StackFrame } from "../decode/stack.js";
import type { Demangler } from "../decode/stack.js";
import type { DecodedMap, FieldValue } from "../types.js";
import { readProcMaps, type Mapping } from "./process-maps.js";
import { SymbolTables } from "./symbol-tables.js";

export interface StackSymbolizer {
  /** Remember this process's mappings now (and again later, as libraries load). */
  notePid(pid: number): void;
  /** Fill in symbols of address-only frames in map keys and values. */
  symbolizeMaps(maps: DecodedMap[]): void;
  /** Fill in symbols of address-only frames of one stack. */
  symbolizeFrames(frames: StackFrame[]): void;
}

function isFrameList(v: unknown): v is StackFrame[] {
  return Array.isArray(v) && v.length > 0 && v.every((f) => typeof f === "object" && f !== null && "address" in f && "symbol" in f);
}

function forEachStack(v: FieldValue | unknown, visit: (frames: StackFrame[]) => void): void {
  if (isFrameList(v)) visit(v);
  else if (Array.isArray(v)) v.forEach((e) => forEachStack(e, visit));
  else if (typeof v === "object" && v !== null) Object.values(v).forEach((e) => forEachStack(e, visit));
}

export class ProcessStackSymbolizer implements StackSymbolizer {
  /** Mappings by pid; a later snapshot adds to (and overrides) an earlier one. */
  private readonly mappings = new Map<number, Map<number, Mapping>>();
  private readonly tables: SymbolTables;

  constructor(demangle?: Demangler) {
    this.tables = new SymbolTables(demangle);
  }

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

  private find(address: number): Mapping | null {
    for (const byStart of this.mappings.values()) {
      for (const m of byStart.values()) if (address >= m.start && address < m.end) return m;
    }
    return null;
  }

  symbolizeFrames(frames: StackFrame[]): void {
    for (const f of frames) {
      if (f.symbol !== null || f.address === null) continue;
      const address = Number(f.address);
      const mapping = this.find(address);
      if (!mapping) continue;
      f.module ??= mapping.path;
      const hit = this.tables.lookup(mapping.path, address - mapping.start + mapping.offset);
      if (hit) {
        f.symbol = hit.symbol;
        f.offset = hit.offset;
      }
    }
  }

  symbolizeMaps(maps: DecodedMap[]): void {
    for (const map of maps) {
      for (const entry of map.entries) {
        forEachStack(entry.key, (frames) => this.symbolizeFrames(frames));
        forEachStack(entry.value, (frames) => this.symbolizeFrames(frames));
      }
    }
  }
}
