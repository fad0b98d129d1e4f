// Prints the AST the way GNU c++filt does. Declarator syntax (`void (*)(int)`, `int (&) [5]`,
// `void (A::*)() const`) comes from a stack of pending modifiers: a pointer, reference, qualifier or
// the function name itself is pushed, the inner type is printed, and a function or array type prints
// the pending modifiers in its middle. Template parameters are resolved while printing, against a
// stack of the template argument lists in scope.
import type { DemangleErrorCode } from "./errors.js";
import type { Node } from "./node.js";
import { NameNode } from "./nodes-names.js";
import { BuiltinType } from "./nodes-types.js";

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

/** Node's Buffer has `ucs2Slice` (what `toString("utf16le", …)` calls after its argument checks). */
interface Ucs2Sliceable {
  ucs2Slice?: (start: number, end: number) => string;
}

/** Recursion depth allowed while printing (c++filt's own limit is 1024). */
const MAX_PRINT_DEPTH = 1024;
/** Upper bound on printed characters, so substitution blow-ups stay cheap. */
const MAX_OUTPUT = 1 << 20;
/** Upper bound on node visits per name. */
const MAX_VISITS = 1 << 20;

export class Printer {
  private buf: Uint16Array;
  /** End of the printed char codes in the buffer. */
  length = 0;
  /**
   * Where the current name's text begins. A bulk printer (the c++filt filter) prints name after
   * name, and the text around them, into one buffer; a printer used for one name has start 0.
   */
  start = 0;
  /** Char code of the last printed character (0 when nothing is printed). */
  last = 0;
  mods: PendingModifier | null = null;
  templates: TemplateScope | null = null;
  /** The innermost template being printed; a conversion operator inside it sees its arguments. */
  currentTemplate: Node | null = null;
  packIndex = 0;
  /** >0 while printing a lambda's parameters: template parameters print as `auto:N`. */
  lambdaArgs = 0;
  /** The template head of the lambda whose signature is printing: `T_` prints `$T0`. */
  lambdaDecls: readonly Node[] | null = null;
  failed = false;
  failure = "";
  /** Stable code for the failure, reported by `print` and `--json`. */
  failureCode: DemangleErrorCode = "UNPRINTABLE";
  /**
   * The template scope a referenced template parameter was first printed in. When a substitution
   * brings the same `T_&&` back elsewhere, c++filt resolves it in that first scope.
   */
  private saved: Map<Node, TemplateScope | null> | null = null;
  private depth = 0;
  private visits = 0;



  /** The same memory as `buf`, as bytes, for a native UTF-16 decode. */
  private bytes: Buffer;

  constructor() {
    // The printed text accumulates as char codes; one string is made at the end, if at all.
    this.buf = new Uint16Array(1024);
    this.bytes = Buffer.from(this.buf.buffer);
  }

  /** Makes a used printer ready for the next name (the fast path reuses one printer). */
  reset(): void {
    this.length = 0;
    this.beginName();
  }

  /** Readies the per-name state for a name printed from the current end of the buffer on. */
  beginName(): void {
    this.start = this.length;
    this.last = 0;
    this.mods = null;
    this.templates = null;
    this.currentTemplate = null;
    this.packIndex = 0;
    this.lambdaArgs = 0;
    this.lambdaDecls = null;
    this.failed = false;
    this.failure = "";
    this.failureCode = "UNPRINTABLE";
    this.saved = null;
    this.depth = 0;
    this.visits = 0;
  }

  /** The current name's printed text. */
  finish(): string {
    const bytes = this.bytes as Buffer & Ucs2Sliceable;
    // The direct slice skips `toString`'s argument checks, a large part of a short piece's cost.
    if (bytes.ucs2Slice !== undefined) return bytes.ucs2Slice(this.start * 2, this.length * 2);
    return bytes.toString("utf16le", this.start * 2, this.length * 2);
  }

  savedScope(param: Node): TemplateScope | null | undefined {
    return this.saved === null ? undefined : this.saved.get(param);
  }

  saveScope(param: Node, scope: TemplateScope | null): void {
    (this.saved ??= new Map()).set(param, scope);
  }

  append(s: string): void {
    const n = s.length;
    if (n === 0) return;
    let len = this.length;
    if (len + n > this.buf.length) this.grow(len + n);
    const buf = this.buf;
    for (let i = 0; i < n; i++) buf[len++] = s.charCodeAt(i);
    this.length = len;
    this.last = buf[len - 1]!;
  }

  /** One char: the punctuation between names (`(`, `<`, `*`, ` `) is most appends. */
  appendChar(code: number): void {
    const len = this.length;
    if (len + 1 > this.buf.length) {
      this.grow(len + 1);
      if (this.failed) return;
    }
    this.buf[len] = code;
    this.length = len + 1;
    this.last = code;
  }

  /** Two chars (`::`, `, `) without a string to walk. */
  appendPair(first: number, second: number): void {
    const len = this.length;
    if (len + 2 > this.buf.length) {
      this.grow(len + 2);
      if (this.failed) return;
    }
    const buf = this.buf;
    buf[len] = first;
    buf[len + 1] = second;
    this.length = len + 2;
    this.last = second;
  }

  /** Copies bytes (text around the names, for the filter) as char codes. */
  appendBytes(bytes: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    let len = this.length;
    if (len + n > this.buf.length) this.growBuffer(len + n);
    const buf = this.buf;
    // Most runs are a newline between two names: a loop beats a native call's overhead.
    if (n < 16) for (let k = from; k < to; k++) buf[len++] = bytes[k]!;
    else {
      buf.set(bytes.subarray(from, to), len);
      len += n;
    }
    this.length = len;
  }

  /** The buffer's text as bytes (every code below 256), emptying the buffer. */
  takeLatin1(): Buffer {
    const bytes = Buffer.allocUnsafe(this.length);
    bytes.set(this.buf.subarray(0, this.length)); // narrows each code to its byte natively
    this.length = 0;
    this.start = 0;
    return bytes;
  }

  private grow(needed: number): void {
    if (needed - this.start > MAX_OUTPUT) {
      this.fail("printed text exceeds its budget", "TOO_LARGE");
      this.length = this.start;
      return;
    }
    this.growBuffer(needed);
  }

  private growBuffer(needed: number): void {
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const bigger = new Uint16Array(size);
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
    this.bytes = Buffer.from(bigger.buffer);
  }

  /**
   * Drops a trailing ", " that preceded an empty pack. Like c++filt, `last` keeps the space it
   * last appended, so `Foo<Bar<int>, <empty pack>>` closes as `Bar<int>>` without a space.
   */
  dropTrailingSeparator(length: number): void {
    this.length = length;
  }

  fail(why: string, code: DemangleErrorCode = "UNPRINTABLE"): void {
    if (!this.failed) {
      this.failed = true;
      this.failure = why;
      this.failureCode = code;
    }
  }

  print(node: Node | null): void {
    // Leaves are most of the calls: print them without the virtual dispatch.
    if (node instanceof NameNode) return this.append(node.text);
    if (node instanceof BuiltinType) return this.append(node.info.name);
    if (node === null || this.failed) {
      if (node === null) this.fail("missing component");
      return;
    }
    if (++this.depth > MAX_PRINT_DEPTH || ++this.visits > MAX_VISITS) {
      this.fail("nesting or work exceeds the printing budget", "TOO_DEEP");
      this.depth--;
      return;
    }
    node.print(this);
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

  /**
   * Print a comma-separated list. Like c++filt, a ", " followed only by items that printed nothing
   * (empty packs) is dropped: everything after the last non-empty item is cut.
   */
  printList(items: readonly (Node | null)[]): void {
    const n = items.length;
    if (n === 0) return;
    const first = items[0];
    if (first) this.print(first);
    if (n === 1) return;
    let keep = this.length;
    for (let i = 1; i < n; i++) {
      this.appendPair(44 /* , */, 32);
      const before = this.length;
      const item = items[i];
      if (item) this.print(item);
      if (this.length !== before) keep = this.length;
    }
    if (this.length !== keep) this.dropTrailingSeparator(keep);
  }

  /** The template argument `T<index>_` refers to in the current scope (a pack is returned whole). */
  lookupTemplateArg(index: number): Node | null {
    if (this.templates === null) {
      this.fail("template parameter outside any template", "BAD_TEMPLATE_PARAM");
      return null;
    }
    const arg = this.templates.args.templateArg(index);
    if (arg === null) this.fail("template parameter out of range", "BAD_TEMPLATE_PARAM");
    return arg;
  }
}

/** Printers are reused: allocating a buffer per name (or per describe piece) dominated the cost. */
const pool: Printer[] = [];

export function acquirePrinter(): Printer {
  const p = pool.pop() ?? new Printer();
  p.reset();
  return p;
}

export function releasePrinter(p: Printer): void {
  if (pool.length < 16) pool.push(p);
}
