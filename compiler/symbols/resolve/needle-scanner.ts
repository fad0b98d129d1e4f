// Finds a needle in a large string table fast. Buffer.indexOf with a multi-byte needle runs at
// about 1.5–2.5 GB/s here, but with a single byte it is memchr, about 7 GB/s. So the scanner looks
// for the needle's rarest byte (rarity sampled from the table) and checks the needle around each
// hit; when that byte is too common it falls back to searching the whole needle.

const SAMPLES = 8;
const SAMPLE_BYTES = 8 * 1024;
/**
 * Bytes of each slice counted into the byte histogram. The count is a JS loop that runs before the
 * JIT has warmed up (about 80 ns a byte), so it counts a small part of each slice: byte rarity only
 * picks the memchr pivot, a coarse decision.
 */
const COUNTED_BYTES = 1024;

/** Slices spread over the table (symbol order follows compile units) and their byte frequencies. */
export class ByteHistogram {
  readonly counts = new Float64Array(256);
  readonly sampled: number;
  /** Bytes behind `counts`. */
  readonly counted: number;
  private readonly slices: Buffer[] = [];

  constructor(private readonly table: Buffer) {
    const step = Math.max(SAMPLE_BYTES, Math.floor(table.length / SAMPLES));
    let sampled = 0;
    let counted = 0;
    for (let start = 0; start < table.length; start += step) {
      const end = Math.min(table.length, start + SAMPLE_BYTES);
      const countEnd = Math.min(end, start + COUNTED_BYTES);
      for (let i = start; i < countEnd; i++) this.counts[table[i]!]!++;
      this.slices.push(table.subarray(start, end));
      sampled += end - start;
      counted += countEnd - start;
    }
    this.sampled = Math.max(1, sampled);
    this.counted = Math.max(1, counted);
  }

  /** Expected occurrences of `needle` in the whole table, from the slices. */
  expectedNeedle(needle: Buffer): number {
    let count = 0;
    for (const slice of this.slices) for (let at = slice.indexOf(needle); at >= 0; at = slice.indexOf(needle, at + 1)) count++;
    return (count / this.sampled) * this.table.length;
  }

  /** Expected occurrences of `byte` in a table of `size` bytes. */
  expected(byte: number, size: number): number {
    return (this.counts[byte]! / this.counted) * size;
  }
}

/**
 * A memchr hit costs about 0.4 µs in a fresh process (a call and a compare, run before the JIT has
 * warmed up: a one-shot `probec symbols` never gets past that); the whole-needle search about
 * 0.2 ns a byte (1.5 ms over node's 7.5 MB table). So memchr wins below about one hit per 2000 bytes.
 */
const PIVOT_HIT_US = 0.4;
const WHOLE_SEARCH_US_PER_BYTE = 0.0002;
const PIVOT_MAX_HIT_RATE = PIVOT_HIT_US / WHOLE_SEARCH_US_PER_BYTE;

export class NeedleScanner {
  /** Index in the needle of the byte searched with memchr, or -1 for whole-needle search. */
  private readonly pivot: number;

  constructor(
    private readonly table: Buffer,
    readonly needle: Buffer,
    histogram: ByteHistogram,
  ) {
    let pivot = 0;
    for (let k = 1; k < needle.length; k++) if (histogram.counts[needle[k]!]! < histogram.counts[needle[pivot]!]!) pivot = k;
    this.pivot = needle.length > 1 && histogram.expected(needle[pivot]!, table.length) < table.length / PIVOT_MAX_HIT_RATE ? pivot : -1;
  }

  /**
   * Estimated cost in µs of finding every occurrence and checking each candidate name: the scan
   * itself, plus about 1 µs per occurrence (string bounds, the other needles, symbol lookup).
   */
  static cost(table: Buffer, needle: Buffer, histogram: ByteHistogram): number {
    let byteHits = Infinity;
    for (const b of needle) byteHits = Math.min(byteHits, histogram.expected(b, table.length));
    const scan = needle.length > 1 && byteHits < table.length / PIVOT_MAX_HIT_RATE ? byteHits * PIVOT_HIT_US : table.length * WHOLE_SEARCH_US_PER_BYTE;
    return scan + histogram.expectedNeedle(needle);
  }

  /** Start of the first occurrence at or after `from`, or -1. */
  next(from: number): number {
    const { table, needle, pivot } = this;
    if (pivot < 0) return table.indexOf(needle, from);
    const byte = needle[pivot]!;
    const len = needle.length;
    const last = table.length - len;
    for (let h = table.indexOf(byte, from + pivot); h >= 0; h = table.indexOf(byte, h + 1)) {
      const start = h - pivot;
      if (start > last) return -1;
      let j = 0;
      while (j < len && table[start + j] === needle[j]) j++;
      if (j === len) return start;
    }
    return -1;
  }
}
