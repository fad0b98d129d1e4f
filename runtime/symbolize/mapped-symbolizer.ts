// Symbolises bare-address frames offline, from mappings known without /proc: those a recording
// carries (probec_maps lines), a saved /proc/PID/maps (--maps), and the fixed load addresses of
// non-PIE binaries. Every mapping is of one of the manifest's binaries, read from its local copy.
import type { ResolvedBinary } from "../../compiler/ir/program.js";
import { openElf } from "../../compiler/symbols/elf/index.js";
import type { Demangler } from "../decode/stack.js";
import type { Mapping } from "./process-maps.js";
import { MappingStackSymbolizer } from "./stack-symbolizer.js";

const ET_EXEC = 2;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export class MappedStackSymbolizer extends MappingStackSymbolizer {
  private readonly mappings: Mapping[] = [];

  constructor(
    private readonly binaries: readonly ResolvedBinary[],
    demangle?: Demangler,
  ) {
    super(demangle);
    for (const b of binaries) this.addFixedLoad(b.path);
  }

  /** A non-PIE executable is loaded at its own virtual addresses: no mapping needs recording. */
  private addFixedLoad(path: string): void {
    try {
      const elf = openElf(path);
      try {
        if (elf.header.type !== ET_EXEC) return;
        for (const s of elf.loadMap.segments) this.mappings.push({ start: s.vaddr, end: s.vaddr + s.memsz, offset: s.offset, path });
      } finally {
        elf.close();
      }
    } catch {
      // the binary is not on this machine: its frames stay addresses
    }
  }

  /**
   * The local copy of the manifest binary a mapping is of: by the binary name the recorder gave,
   * else by the same path, else by the same file name. Mappings of other files (libc, the vdso)
   * are not ours to read: the local copy would be another build.
   */
  localPath(mapping: Mapping, binaryName: string | null): string | null {
    const named = binaryName === null ? undefined : this.binaries.find((b) => b.name === binaryName);
    const hit = named ?? this.binaries.find((b) => b.path === mapping.path) ?? this.binaries.find((b) => baseName(b.path) === baseName(mapping.path));
    return hit?.path ?? null;
  }

  /** Adds a mapping of the traced process; returns false when it is of no manifest binary. */
  addMapping(mapping: Mapping, binaryName: string | null = null): boolean {
    const path = this.localPath(mapping, binaryName);
    if (path === null) return false;
    this.mappings.push({ ...mapping, path });
    return true;
  }

  notePid(_pid: number): void {
    // offline: there is no live process to read
  }

  protected find(address: number): Mapping | null {
    // The latest mappings win: a recording's own come after the fixed loads.
    for (let i = this.mappings.length - 1; i >= 0; i--) {
      const m = this.mappings[i]!;
      if (address >= m.start && address < m.end) return m;
    }
    return null;
  }
}
