// What lowering needs to know while it writes one probe block: the target version, the program's
// declarations, and the bpftrace names of the handler's locals (renamed where TypeScript's block
// scoping would clash with bpftrace's probe-wide variables).
import type { MapDecl, ParamDecl, SourceLoc } from "../ir/program.js";
import type { BtStmt } from "./ast.js";
import type { BpftraceTarget } from "./target-version.js";

export interface LocalBinding {
  /** The bpftrace variable name, without `$`. */
  btName: string;
  /** Set when the local holds a sized string: the variable holding its true length. */
  lengthVar?: string;
  /** True when the local holds text (it takes BPFTRACE_STRLEN bytes of the BPF stack). */
  isText: boolean;
}

export interface ProgramFacts {
  target: BpftraceTarget;
  params: Map<string, ParamDecl>;
  maps: Map<string, MapDecl>;
  /** BPFTRACE_STRLEN the script is written for. */
  strlen: number;
}

export class ProbeScope {
  // One map per open block, innermost last: TypeScript's `let` is block-scoped, bpftrace's `$x` is not.
  private readonly blocks: Map<string, LocalBinding>[] = [new Map()];
  private readonly taken = new Set<string>();
  private tempCounter = 0;
  /** Statements that must run before the statement being lowered (temporaries for lengths, timestamps). */
  pending: BtStmt[] = [];
  /** False while lowering a predicate, where no statement can run first. */
  allowTemps = true;

  constructor(
    readonly facts: ProgramFacts,
    /** Where the probe is declared, for errors without a more precise place. */
    readonly probeLoc: SourceLoc,
    /** The probe kind, e.g. `uprobe`, `tracepoint`. */
    readonly probeKind: string,
  ) {}

  get target(): BpftraceTarget {
    return this.facts.target;
  }

  /** Declares a handler local (a `let`); a second declaration of the same name gets a fresh bpftrace name. */
  declareLocal(name: string, kind: { isText: boolean; sized: boolean }): LocalBinding {
    const binding: LocalBinding = { btName: this.freshName(name), isText: kind.isText };
    if (kind.sized) binding.lengthVar = this.freshName(`${name}_len`);
    this.blocks[this.blocks.length - 1].set(name, binding);
    return binding;
  }

  lookupLocal(name: string): LocalBinding | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const b = this.blocks[i].get(name);
      if (b) return b;
    }
    return undefined;
  }

  /** Runs `body` with a nested block scope for locals. */
  inBlock<T>(body: () => T): T {
    this.blocks.push(new Map());
    try {
      return body();
    } finally {
      this.blocks.pop();
    }
  }

  /** A new variable name for a compiler temporary. */
  temp(hint: string): string {
    return this.freshName(`__${hint}${this.tempCounter++}`);
  }

  private freshName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_]/g, "_");
    let name = clean;
    for (let i = 1; this.taken.has(name); i++) name = `${clean}_${i}`;
    this.taken.add(name);
    return name;
  }

  takePending(): BtStmt[] {
    const p = this.pending;
    this.pending = [];
    return p;
  }
}
