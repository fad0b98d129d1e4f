// A bounded hand-off between bpftrace's output (producer) and the consumer's `for await` loop.
// Above `high` queued items the producer is paused (bpftrace then blocks on its pipe and the
// kernel counts lost events) instead of buffering without bound; below `low` it resumes.
export interface FlowControl {
  pause(): void;
  resume(): void;
}

export class ItemQueue<T> {
  private items: T[] = [];
  private head = 0;
  private ended = false;
  private failure: unknown = undefined;
  private waiter: (() => void) | null = null;
  private paused = false;
  /** Largest number of items ever waiting: what the flood benchmark reports. */
  highWater = 0;

  constructor(
    private readonly flow: FlowControl,
    private readonly high = 8192,
    private readonly low = 1024,
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    const n = this.length;
    if (n > this.highWater) this.highWater = n;
    if (n >= this.high && !this.paused) {
      this.paused = true;
      this.flow.pause();
    }
    this.wake();
  }

  end(failure?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.wake();
  }

  /** Drops what is queued and ends: the consumer has gone. */
  discard(): void {
    this.items = [];
    this.head = 0;
    this.end();
    this.resumeIfPaused();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  private resumeIfPaused(): void {
    if (this.paused) {
      this.paused = false;
      this.flow.resume();
    }
  }

  /**
   * Everything queued, at once (waits while the queue is empty), or undefined at the end: the
   * consumer then pays one wake-up per batch instead of one per item, so it drains at decoder speed.
   */
  async nextBatch(): Promise<T[] | undefined> {
    for (;;) {
      if (this.head < this.items.length) {
        const batch = this.head === 0 ? this.items : this.items.slice(this.head);
        this.items = [];
        this.head = 0;
        this.resumeIfPaused();
        return batch;
      }
      if (this.ended) {
        if (this.failure !== undefined) throw this.failure;
        return undefined;
      }
      this.resumeIfPaused();
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }

  /** The next item, or undefined at the end. Rejects with the failure the queue ended with. */
  async next(): Promise<T | undefined> {
    for (;;) {
      if (this.head < this.items.length) {
        const item = this.items[this.head++];
        if (this.head > 4096 && this.head * 2 > this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        if (this.length <= this.low) this.resumeIfPaused();
        return item;
      }
      if (this.ended) {
        if (this.failure !== undefined) throw this.failure;
        return undefined;
      }
      this.resumeIfPaused();
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }
}
