// c++filt's text filter: every run of symbol characters ([A-Za-z0-9_$.]) in the input is tried as
// a mangled name and replaced by its demangling; everything else is copied through unchanged.

/** Demangles one word as c++filt does: a leading `.` is kept, a leading `$` is dropped. */
export function demangleWord(word: string, demangle: (name: string) => string | null): string {
  const c = word.charCodeAt(0);
  const skip = c === 46 /* . */ || c === 36 /* $ */ ? 1 : 0;
  const result = demangle(skip === 0 ? word : word.slice(1));
  if (result === null) return word;
  return c === 46 ? "." + result : result;
}

const SYMBOL_CHAR = (() => {
  const t = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) t[c] = 1;
  for (let c = 65; c <= 90; c++) t[c] = 1;
  for (let c = 97; c <= 122; c++) t[c] = 1;
  t[95] = 1; // _
  t[36] = 1; // $
  t[46] = 1; // .
  // c++filt tests `strchr("_$.", c)`, which also matches the terminating NUL: a NUL byte joins the
  // word, and since the word is then used as a C string, everything from the NUL on is dropped.
  t[0] = 1;
  return t;
})();

/** c++filt reads words into a 32767-byte buffer; a longer run is cut there and the next char echoed. */
const MAX_WORD = 32766;

/** Demangles every mangled-looking word of `text`, keeping the rest byte for byte. */
export function filterText(text: string, demangle: (name: string) => string | null): string {
  const parts: string[] = [];
  const n = text.length;
  let copied = 0; // text before this index is already in `parts`
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 128 || SYMBOL_CHAR[c] === 0) {
      i++;
      continue;
    }
    const start = i;
    let end = -1;
    while (i < n && i - start < MAX_WORD) {
      const d = text.charCodeAt(i);
      if (d >= 128 || SYMBOL_CHAR[d] === 0) break;
      if (d === 0 && end < 0) end = i;
      i++;
    }
    if (end < 0) end = i;
    // Only words that can be mangled names need the demangler; the rest stay in the copied run.
    const first = text.charCodeAt(start);
    const second = text.charCodeAt(start + 1);
    const maybe = first === 95 || ((first === 46 || first === 36) && second === 95);
    const word = text.slice(start, end);
    const out = maybe ? demangleWord(word, demangle) : word;
    if (out !== word || end !== i) {
      if (copied < start) parts.push(text.slice(copied, start));
      parts.push(out);
      copied = i;
    }
    if (i - start >= MAX_WORD && i < n) i++; // the cut-off character is echoed as-is
  }
  if (copied < n) parts.push(text.slice(copied));
  return parts.join("");
}

/**
 * Output of the byte filter, kept as char codes like the printer's buffer so each demangled name is
 * one native copy; chunks become bytes (latin1: every code is below 256) once, at the end. A class
 * rather than closure variables so the hot paths read plain fields.
 */
class CodeSink {
  private readonly chunks: Buffer[] = [];
  private buf = new Uint16Array(CHUNK);
  private pos = 0;
  /** A '.' to write before the next demangled text (c++filt keeps a leading '.'). */
  dot = false;

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint16Array(n);
  }

  private flush(): void {
    const bytes = Buffer.allocUnsafe(this.pos);
    bytes.set(this.buf.subarray(0, this.pos)); // narrows each code to its byte natively
    this.chunks.push(bytes);
    this.pos = 0;
  }

  copy(input: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    this.reserve(n);
    // Most runs are a newline between two names: a loop beats a native call's overhead.
    if (n < 16) {
      const out = this.buf;
      let at = this.pos;
      for (let k = from; k < to; k++) out[at++] = input[k]!;
      this.pos = at;
    } else {
      this.buf.set(input.subarray(from, to), this.pos);
      this.pos += n;
    }
  }

  /** Demangled text, straight from the printer's buffer. */
  readonly writeCodes = (codes: Uint16Array, length: number): void => {
    this.reserve(length + 1);
    if (this.dot) this.buf[this.pos++] = 46;
    this.buf.set(codes.subarray(0, length), this.pos);
    this.pos += length;
  };

  finish(): Buffer[] {
    this.flush();
    return this.chunks;
  }
}

const CHUNK = 1 << 20;

/** Inputs up to this size are decoded to one string (V8 strings stop at about 2^29 chars). */
const WHOLE_TEXT_LIMIT = 1 << 28;

/** End of the word starting at `start` (at most MAX_WORD bytes): the first non-symbol byte. */
function wordEnd(input: Buffer, start: number, n: number): number {
  const limit = Math.min(n, start + MAX_WORD);
  let i = start;
  while (i < limit) {
    const d = input[i]!;
    if (d >= 128 || SYMBOL_CHAR[d] === 0) break;
    i++;
  }
  return i;
}

/** Start of the next word at or after `from`, or `n`. */
function nextWordStart(input: Buffer, from: number, n: number): number {
  let i = from;
  while (i < n) {
    const c = input[i]!;
    if (c < 128 && SYMBOL_CHAR[c] === 1) break;
    i++;
  }
  return i;
}

/**
 * The same filter over raw bytes, for the CLI: the input is read as latin1 so every byte is one
 * char and comes back out unchanged; demangled text is copied straight from the printer's buffer.
 * Returns the output as a list of chunks.
 */
export function filterBytes(input: Buffer, demangleWith: (name: string, use: (codes: Uint16Array, length: number) => void) => boolean): Buffer[] {
  const sink = new CodeSink();
  const n = input.length;
  // One latin1 string for the whole input, each name then a cheap slice of it; a huge input (past
  // V8's string length limit) is sliced name by name instead.
  const text = n <= WHOLE_TEXT_LIMIT ? input.toString("latin1") : null;
  let nul = input.indexOf(0); // the next NUL byte at or after the current word, or -1
  let copied = 0; // input before this index is already in the sink
  let i = nextWordStart(input, 0, n);
  while (i < n) {
    const start = i;
    i = wordEnd(input, start, n);
    // The first NUL in the word: the word as the C string c++filt sees ends there.
    if (nul >= 0 && nul < start) nul = input.indexOf(0, start);
    const end = nul >= 0 && nul < i ? nul : i;
    const c = input[start]!;
    const a = c === 46 || c === 36 ? start + 1 : start;
    if (end - a >= 2 && input[a] === 95 && (input[a + 1] === 90 || input[a + 1] === 71)) {
      sink.copy(input, copied, start);
      copied = start;
      sink.dot = c === 46;
      const name = text !== null ? text.slice(a, end) : input.toString("latin1", a, end);
      if (demangleWith(name, sink.writeCodes)) copied = end;
    }
    if (end !== i) {
      sink.copy(input, copied, end);
      copied = i; // the part of the word after its NUL is not printed
    }
    if (i - start >= MAX_WORD && i < n) i++; // the cut-off character is echoed as-is
    i = nextWordStart(input, i, n);
  }
  sink.copy(input, copied, n);
  return sink.finish();
}
