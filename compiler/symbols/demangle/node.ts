// The base of the demangler's AST. Each node kind prints itself (see printer.ts for the shared
// declarator machinery); `children` lists sub-nodes in the order c++filt searches them for packs.
import type { PendingModifier, Printer } from "./printer.js";

export type NodeKind =
  // names
  | "name"
  | "std-sub"
  | "qualified-name"
  | "local-name"
  | "default-arg"
  | "template"
  | "template-args"
  | "abi-tagged"
  | "ctor"
  | "dtor"
  | "operator"
  | "conversion"
  | "extended-operator"
  | "lambda"
  | "template-param-decl"
  | "module-name"
  | "module-entity"
  | "unnamed-type"
  | "structured-binding"
  | "encoding"
  | "special"
  | "construction-vtable"
  | "reference-temporary"
  | "clone"
  | "global-ctor-dtor"
  // types
  | "builtin"
  | "vendor-type"
  | "pointer"
  | "lvalue-ref"
  | "rvalue-ref"
  | "complex"
  | "imaginary"
  | "cv"
  | "fn-qual"
  | "vendor-qual"
  | "function-type"
  | "array-type"
  | "ptrmem"
  | "template-param"
  | "pack-expansion"
  | "decltype"
  | "vector-type"
  // expressions
  | "literal"
  | "unary"
  | "binary"
  | "trinary"
  | "nullary"
  | "expr-list"
  | "function-param"
  | "initializer-list"
  | "cast"
  | "vendor-expr"
  | "fold"
  | "new"
  | "designated-init";

export abstract class Node {
  abstract readonly kind: NodeKind;

  abstract print(p: Printer): void;

  /** How the node prints when it is a pending modifier (c++filt's d_print_mod); by default, itself. */
  printAsModifier(p: Printer): void {
    p.print(this);
  }

  /** Function, array and local-name nodes print the rest of the modifier list around themselves. */
  printInModifierList(p: Printer, _rest: PendingModifier | null): void {
    p.print(this);
  }

  /** For template argument lists: the argument at `index`, or null. */
  templateArg(_index: number): Node | null {
    return null;
  }

  /** Sub-nodes in c++filt's left-then-right order. */
  children(): readonly (Node | null)[] {
    return [];
  }

  /** The first template argument pack referenced inside this node, for a pack expansion. */
  findPack(p: Printer): Node | null {
    for (const child of this.children()) {
      if (child === null) continue;
      const found = child.findPack(p);
      if (found !== null) return found;
      if (p.failed) return null;
    }
    return null;
  }

  /** The `--json` shape: `{ "kind": …, …fields }`, children nested the same way. */
  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = { kind: this.kind, ...(this as object) };
    delete fields.printing; // printer bookkeeping, not part of the tree
    return fields;
  }
}

/** Prints `node` in parentheses unless it is a simple name or parameter (c++filt's d_print_subexpr). */
export function printSubexpression(p: Printer, node: Node | null): void {
  const k = node?.kind;
  const simple = k === "name" || k === "qualified-name" || k === "initializer-list" || k === "function-param";
  if (!simple) p.append("(");
  p.print(node);
  if (!simple) p.append(")");
}
