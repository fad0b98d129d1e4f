// c++filt's text filter: every run of symbol characters ([A-Za-z0-9_$.]) in the input is tried as
// a mangled name and replaced by its demangling; everything else is copied through unchanged.
import type { Printer } from "./printer.js";

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

/** Output is handed on in chunks of about this many chars. */
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
 * char and comes back out unchanged. Names are demangled straight into `out`'s buffer, the text
 * between them copied there too; each CHUNK of output is then narrowed to bytes once. Returns the
 * output as a list of chunks.
 */
export function filterBytes(input: Buffer, demangleAppend: (name: string, out: Printer) => boolean, out: Printer): Buffer[] {
  const chunks: Buffer[] = [];
  const n = input.length;
  // One latin1 string for the whole input, each name then a cheap slice of it (decoding each name
  // on its own is a native call per name, and more garbage); a huge input (past V8's string length
  // limit) is sliced name by name instead.
  const text = n <= WHOLE_TEXT_LIMIT ? input.toString("latin1") : null;
  let nul = input.indexOf(0); // the next NUL byte at or after the current word, or -1
  let copied = 0; // input before this index is already in `out`
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
      // c++filt keeps a leading '.' and drops a leading '$' when the name demangles.
      const kept = c === 46 ? a : start;
      out.appendBytes(input, copied, kept);
      copied = kept;
      const name = text !== null ? text.slice(a, end) : input.toString("latin1", a, end);
      if (demangleAppend(name, out)) copied = end;
    }
    if (end !== i) {
      out.appendBytes(input, copied, end);
      copied = i; // the part of the word after its NUL is not printed
    }
    if (i - start >= MAX_WORD && i < n) i++; // the cut-off character is echoed as-is
    if (out.length >= CHUNK) {
      out.appendBytes(input, copied, i);
      copied = i;
      chunks.push(out.takeLatin1());
    }
    i = nextWordStart(input, i, n);
  }
  out.appendBytes(input, copied, n);
  chunks.push(out.takeLatin1());
  return chunks;
}
