// C++20 module attachment: `W <name>` (and `WP <name>` for a partition) before an unqualified
// name, printed `f@Module`, `Inner@FOO.BAR`, `X@Foo:Part`.
import { Node } from "./node.js";
import type { Printer } from "./printer.js";
import type { ParseState } from "./parse-state.js";

/** A module name, possibly dotted or with a partition: `Foo`, `Foo.Bar`, `Foo:Bar.Baz`. */
export class ModuleName extends Node {
  readonly kind = "module-name";
  constructor(
    readonly parent: ModuleName | null,
    readonly name: string,
    readonly partition: boolean,
  ) {
    super();
  }
  print(p: Printer): void {
    if (this.parent !== null) p.print(this.parent);
    if (this.partition) p.append(":");
    else if (this.parent !== null) p.append(".");
    p.append(this.name);
  }
}

/** An entity attached to a module: `name@Module`. */
export class ModuleEntity extends Node {
  readonly kind = "module-entity";
  constructor(
    readonly name: Node,
    readonly module: ModuleName,
  ) {
    super();
  }
  print(p: Printer): void {
    p.print(this.name);
    p.append("@");
    p.print(this.module);
  }
  override children(): readonly (Node | null)[] {
    return [this.name, this.module];
  }
}

/** Extends `module` with any `W <source-name>` / `WP <source-name>` that follow; each is a candidate. */
export function parseModuleName(ps: ParseState, module: ModuleName | null, sourceName: (ps: ParseState) => string): ModuleName | null {
  let current = module;
  while (ps.peek() === 87 /* W */) {
    ps.pos++;
    const partition = ps.eat(80 /* P */);
    current = new ModuleName(current, sourceName(ps), partition);
    ps.addSubstitution(current);
  }
  return current;
}
