// Parses the text bpftrace prints for ustack/kstack into frames.
// Default mode:  "\n        sym+off\n        0x55f5e077ff80\n"  (8 spaces in values, 4 in map keys)
// perf mode:     "\n\t55f5e077ff80 sym+off (/path/module)\n"

export interface StackFrame {
  /** Demangled symbol; null when bpftrace could not symbolise the address. */
  symbol: string | null;
  /** Byte offset into the symbol, when symbolised. */
  offset: number | null;
  /** The instruction address as hex (`0x…`), when bpftrace printed it. */
  address: string | null;
  /** The binary or library, when known (perf mode, or symbolised by probec). */
  module: string | null;
}

/** Demangles an Itanium name, or returns null when it cannot. */
export type Demangler = (mangled: string) => string | null;

const ADDRESS_ONLY = /^0x[0-9a-fA-F]+$/;
const PERF_FRAME = /^([0-9a-fA-F]+) (.*?)(?: \(([^()]*)\))?$/;
const SYMBOL_OFFSET = /^(.*)\+(\d+)$/;

function symbolFrame(text: string, address: string | null, module: string | null, demangle: Demangler | undefined): StackFrame {
  if (text === "[unknown]" || text === "") return { symbol: null, offset: null, address, module };
  const m = SYMBOL_OFFSET.exec(text);
  let symbol = m ? m[1] : text;
  const offset = m ? Number(m[2]) : null;
  if (demangle && symbol.startsWith("_Z")) symbol = demangle(symbol) ?? symbol;
  return { symbol, offset, address, module };
}

/**
 * Stacks repeat (the same call paths fire again and again): parsed ones are kept by their text and
 * shared, so frames and frame lists are frozen (symbolising makes new ones).
 */
const CACHE_LIMIT = 4096;
const cache = new Map<string, StackFrame[] | null>();
let cacheDemangler: Demangler | undefined;

/** Frames innermost first, as bpftrace prints them. Returns null when the text is not a stack. */
export function parseStack(text: string, demangle?: Demangler): StackFrame[] | null {
  if (cacheDemangler !== demangle) {
    cache.clear();
    cacheDemangler = demangle;
  }
  let frames = cache.get(text);
  if (frames === undefined) {
    frames = parseStackText(text, demangle);
    if (frames !== null) {
      for (const f of frames) Object.freeze(f);
      Object.freeze(frames);
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, frames);
  }
  return frames;
}

function parseStackText(text: string, demangle?: Demangler): StackFrame[] | null {
  const frames: StackFrame[] = [];
  for (const rawLine of text.split("\n")) {
    if (rawLine.trim() === "") continue;
    if (rawLine.startsWith("\t")) {
      const m = PERF_FRAME.exec(rawLine.slice(1));
      if (!m) return null;
      frames.push(symbolFrame(m[2], `0x${m[1]}`, m[3] ?? null, demangle));
      continue;
    }
    if (!rawLine.startsWith(" ")) return null;
    const line = rawLine.trim();
    if (ADDRESS_ONLY.test(line)) frames.push({ symbol: null, offset: null, address: line.toLowerCase(), module: null });
    else frames.push(symbolFrame(line, null, null, demangle));
  }
  return frames;
}

/** One line of text for a frame, as people and folded stacks show it. */
export function frameLabel(frame: StackFrame): string {
  if (frame.symbol === null) return frame.address ?? "[unknown]";
  return frame.symbol;
}
