// Splits a text stream into lines across chunk boundaries (the last, unterminated line is kept
// until the next chunk or `flush`).
export class LineSplitter {
  private pending = "";

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    let nl = chunk.indexOf("\n");
    if (nl < 0) {
      this.pending += chunk;
      return;
    }
    this.onLine(this.pending + chunk.slice(0, nl));
    this.pending = "";
    let start = nl + 1;
    while ((nl = chunk.indexOf("\n", start)) >= 0) {
      this.onLine(chunk.slice(start, nl));
      start = nl + 1;
    }
    this.pending = chunk.slice(start);
  }

  /** Hands over a last line that had no newline (a partial line at EOF). */
  flush(): void {
    if (this.pending.length > 0) {
      const last = this.pending;
      this.pending = "";
      this.onLine(last);
    }
  }
}
