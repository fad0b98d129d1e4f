// Prints the AST the way GNU c++filt does. Declarator syntax (`void (*)(int)`, `int (&) [5]`,
// `void (A::*)() const`) comes from a stack of pending modifiers: a pointer, reference, qualifier or
// the function name itself is pushed, the inner type is printed, and a function or array type prints
// the pending modifiers in its middle. Template parameters are resolved while printing, against a
// stack of the template argument lists in scope.
import type { Node } from "./node.js";

/** A modifier waiting to be printed, with the template scope it was pushed in. */
export interface PendingModifier {
  node: Node;
  printed: boolean;
  templates: TemplateScope | null;
  next: PendingModifier | null;
}

export interface TemplateScope {
  /** The template argument list (`TemplateArgs` node) whose entries `T_`, `T0_` … refer to. */
  args: Node;
  next: TemplateScope | null;
}

/** Recursion depth allowed while printing (c++filt's own limit is 1024). */
const MAX_PRINT_DEPTH = 1024;
/** Upper bound on printed characters, so substitution blow-ups stay cheap. */
const MAX_OUTPUT = 1 << 20;
/** Upper bound on node visits per name. */
const MAX_VISITS = 1 << 20;

export class Printer {
  out = "";
  /** Char code of the last printed character (0 when nothing is printed). */
  last = 0;
  mods: PendingModifier | null = null;
  templates: TemplateScope | null = null;
  /** The innermost template being printed; a conversion operator inside it sees its arguments. */
  currentTemplate: Node | null = null;
  packIndex = 0;
  /** >0 while printing a lambda's parameters: template parameters print as `auto:N`. */
  lambdaArgs = 0;
  failed = false;
  failure = "";
  /** Nodes being printed, outermost first (c++filt's component stack). */
  readonly stack: Node[] = [];
  /**
   * The template scope a referenced template parameter was first printed in. When a substitution
   * brings the same `T_&&` back elsewhere, c++filt resolves it in that first scope.
   */
  readonly savedScopes = new Map<Node, TemplateScope | null>();
  private depth = 0;
  private visits = 0;

  append(s: string): void {
    if (s.length === 0) return;
    this.out += s;
    this.last = s.charCodeAt(s.length - 1);
    if (this.out.length > MAX_OUTPUT) this.fail("printed text exceeds its budget");
  }

  /**
   * Drops a trailing ", " that preceded an empty pack. Like c++filt, `last` keeps the space it
   * last appended, so `Foo<Bar<int>, <empty pack>>` closes as `Bar<int>>` without a space.
   */
  dropTrailingSeparator(length: number): void {
    this.out = this.out.slice(0, length);
  }

  fail(why: string): void {
    if (!this.failed) {
      this.failed = true;
      this.failure = why;
    }
  }

  print(node: Node | null): void {
    if (node === null || this.failed) {
      if (node === null) this.fail("missing component");
      return;
    }
    if (++this.depth > MAX_PRINT_DEPTH || ++this.visits > MAX_VISITS) {
      this.fail("nesting or work exceeds the printing budget");
      this.depth--;
      return;
    }
    this.stack.push(node);
    node.print(this);
    this.stack.pop();
    this.depth--;
  }

  pushModifier(node: Node): PendingModifier {
    const mod: PendingModifier = { node, printed: false, templates: this.templates, next: this.mods };
    this.mods = mod;
    return mod;
  }

  /** Print `inner` with `node` pending; if nothing printed the modifier on the way, print it after. */
  printWithModifier(node: Node, inner: Node): void {
    const mod = this.pushModifier(node);
    this.print(inner);
    if (!mod.printed) node.printAsModifier(this);
    this.mods = mod.next;
  }

  /** Print the pending modifiers: the prefix pass skips function qualifiers, the suffix pass prints them. */
  printModifierList(list: PendingModifier | null, suffix: boolean): void {
    let mods = list;
    while (mods !== null && !this.failed) {
      if (mods.printed || (!suffix && mods.node.kind === "fn-qual")) {
        mods = mods.next;
        continue;
      }
      mods.printed = true;
      const holdTemplates = this.templates;
      this.templates = mods.templates;
      const kind = mods.node.kind;
      if (kind === "function-type" || kind === "array-type" || kind === "local-name") {
        mods.node.printInModifierList(this, mods.next);
        this.templates = holdTemplates;
        return;
      }
      mods.node.printAsModifier(this);
      this.templates = holdTemplates;
      mods = mods.next;
    }
  }

  /** Print a comma-separated list; like c++filt, a trailing ", " after items that printed nothing is dropped. */
  printList(items: readonly (Node | null)[]): void {
    const n = items.length;
    if (n === 0) return;
    const first = items[0];
    if (first) this.print(first);
    if (n === 1) return;
    const commas: number[] = [];
    for (let i = 1; i < n; i++) {
      commas.push(this.out.length);
      this.append(", ");
      const item = items[i];
      if (item) this.print(item);
    }
    for (let k = commas.length - 1; k >= 0; k--) {
      if (this.out.length === commas[k]! + 2) this.dropTrailingSeparator(commas[k]!);
      else break;
    }
  }

  /** The template argument `T<index>_` refers to in the current scope (a pack is returned whole). */
  lookupTemplateArg(index: number): Node | null {
    if (this.templates === null) {
      this.fail("template parameter outside any template");
      return null;
    }
    const arg = this.templates.args.templateArg(index);
    if (arg === null) this.fail("template parameter out of range");
    return arg;
  }
}
