// The cursor and tables shared by the recursive-descent functions: the mangled text, the position,
// the substitution table, the last source name (for constructors), and the safety limits.
import { DemangleError, type DemangleErrorCode } from "./errors.js";
import type { Node } from "./node.js";

/** Nesting allowed while parsing; deeper input is rejected with TOO_DEEP instead of overflowing the stack. */
export const MAX_PARSE_DEPTH = 1024;

export class ParseState {
  pos = 0;
  end: number;
  readonly subs: Node[] = [];
  /** The most recent source name: what `C1`/`D1` print. */
  lastName: Node | null = null;
  /** Inside a conversion operator's type (`cv T_ I…E` ambiguity). */
  isConversion = false;
  /** Inside an expression: `cv` is a cast, not a conversion operator. */
  isExpression = false;
  /**
   * `sr` is ambiguous between the current and the pre-2014 mangling of unresolved names: 1 means
   * try the current one, -1 that it was used (so a failed parse is retried with 0, the old one).
   */
  unresolvedNameState: number;
  private depth = 0;

  constructor(
    public text: string,
    unresolvedNameState = 1,
  ) {
    this.unresolvedNameState = unresolvedNameState;
    this.end = text.length;
  }

  /** Readies the state for another name, as if new (bulk callers reuse one state and its table). */
  reset(text: string): this {
    this.text = text;
    this.pos = 0;
    this.end = text.length;
    this.subs.length = 0;
    this.lastName = null;
    this.isConversion = false;
    this.isExpression = false;
    this.unresolvedNameState = 1;
    this.depth = 0;
    return this;
  }

  peek(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : 0;
  }

  peekAt(ahead: number): number {
    const i = this.pos + ahead;
    return i < this.end ? this.text.charCodeAt(i) : 0;
  }

  /** Consume `code` if it is next. */
  eat(code: number): boolean {
    if (this.pos < this.end && this.text.charCodeAt(this.pos) === code) {
      this.pos++;
      return true;
    }
    return false;
  }

  expect(code: number, what: string): void {
    if (!this.eat(code)) this.unexpected(what);
  }

  unexpected(what: string): never {
    if (this.pos >= this.end) this.fail("UNEXPECTED_END", `the name ends where ${what} was expected`);
    this.fail("UNEXPECTED_CHAR", `'${this.text[this.pos]}' where ${what} was expected`);
  }

  fail(code: DemangleErrorCode, message: string): never {
    throw new DemangleError(code, Math.min(this.pos, this.end), message);
  }

  enter(): void {
    if (++this.depth > MAX_PARSE_DEPTH) this.fail("TOO_DEEP", `nesting deeper than ${MAX_PARSE_DEPTH}`);
  }

  leave(): void {
    this.depth--;
  }

  addSubstitution(node: Node): void {
    this.subs.push(node);
  }

  /**
   * A non-negative decimal number as c++filt reads it (an optional `n` makes it negative);
   * -1 when it would overflow a 32-bit int.
   */
  number(): number {
    // Locals rather than peek() per digit: identifier lengths are read for every source name.
    const t = this.text;
    const end = this.end;
    let pos = this.pos;
    let negative = false;
    if (pos < end && t.charCodeAt(pos) === 110 /* n */) {
      negative = true;
      pos++;
    }
    let value = 0;
    for (; pos < end; pos++) {
      const c = t.charCodeAt(pos);
      if (c < 48 || c > 57) break;
      if (value > (2147483647 - (c - 48)) / 10) {
        this.pos = pos;
        return -1;
      }
      value = value * 10 + (c - 48);
    }
    this.pos = pos;
    return negative ? -value : value;
  }

  /** `_` → 0, `<n>_` → n + 1; -1 when malformed. */
  compactNumber(): number {
    let n: number;
    const c = this.peek();
    if (c === 95 /* _ */) n = 0;
    else if (c === 110 /* n */) return -1;
    else n = this.number() + 1;
    if (n < 0 || !this.eat(95)) return -1;
    return n;
  }
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

export function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}
