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
 * The same filter over raw bytes, for the CLI: the input is read as latin1 so every byte is one
 * char and comes back out unchanged; demangled text is copied straight from the printer's buffer.
 * Returns the output as a list of chunks.
 */
export function filterBytes(input: Buffer, demangleWith: (name: string, use: (codes: Uint16Array, length: number) => void) => boolean): Buffer[] {
  const chunks: Buffer[] = [];
  let out = Buffer.allocUnsafe(1 << 20);
  let pos = 0;
  const reserve = (n: number): void => {
    if (pos + n <= out.length) return;
    chunks.push(out.subarray(0, pos));
    out = Buffer.allocUnsafe(Math.max(1 << 20, n));
    pos = 0;
  };
  const copyInput = (from: number, to: number): void => {
    const n = to - from;
    reserve(n);
    // Most runs are a newline between two names: a loop beats Buffer.copy's call overhead.
    if (n < 64) for (let k = from; k < to; k++) out[pos++] = input[k]!;
    else {
      out.set(input.subarray(from, to), pos);
      pos += n;
    }
  };
  const latin1 = input as unknown as { latin1Slice?: (from: number, to: number) => string };
  const slice =
    typeof latin1.latin1Slice === "function"
      ? (from: number, to: number): string => latin1.latin1Slice!.call(input, from, to)
      : (from: number, to: number): string => input.toString("latin1", from, to);
  let wordStart = 0;
  const writeCodes = (codes: Uint16Array, length: number): void => {
    reserve(length + 1);
    // Locals in the loop: `out` and `pos` are captured variables, slower to reach.
    const o = out;
    let at = pos;
    if (input[wordStart] === 46) o[at++] = 46; // keep a leading '.'
    for (let k = 0; k < length; k++) o[at++] = codes[k]!;
    pos = at;
  };
  const n = input.length;
  let copied = 0;
  let i = 0;
  while (i < n) {
    const c = input[i]!;
    if (c >= 128 || SYMBOL_CHAR[c] === 0) {
      i++;
      continue;
    }
    const start = i;
    let end = -1; // the first NUL in the word: the word as the C string c++filt sees ends there
    while (i < n && i - start < MAX_WORD) {
      const d = input[i]!;
      if (d >= 128 || SYMBOL_CHAR[d] === 0) break;
      if (d === 0 && end < 0) end = i;
      i++;
    }
    if (end < 0) end = i;
    const skip = c === 46 || c === 36 ? 1 : 0;
    const a = start + skip;
    if (end - a >= 2 && input[a] === 95 && (input[a + 1] === 90 || input[a + 1] === 71)) {
      const name = slice(a, end);
      copyInput(copied, start);
      copied = start;
      wordStart = start;
      if (demangleWith(name, writeCodes)) copied = end;
    }
    if (end !== i) {
      copyInput(copied, end);
      copied = i; // the part of the word after its NUL is not printed
    }
    if (i - start >= MAX_WORD && i < n) i++;
  }
  if (copied < n) copyInput(copied, n);
  chunks.push(out.subarray(0, pos));
  return chunks;
}
