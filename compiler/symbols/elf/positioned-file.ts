// Positioned reads over an open file descriptor: the ELF reader never loads a binary whole, it asks
// for the byte ranges it needs, and every range is checked against the file size first.
import { closeSync, fstatSync, openSync, readSync, type BigIntStats } from "node:fs";
import { ElfError, hex } from "./elf-error.js";

export class PositionedFile {
  private fd: number | null;
  readonly size: number;
  readonly stats: BigIntStats;

  private constructor(
    readonly path: string,
    fd: number,
    stats: BigIntStats,
  ) {
    this.fd = fd;
    this.stats = stats;
    this.size = Number(stats.size);
  }

  static open(path: string): PositionedFile {
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new ElfError("ELF_OPEN_FAILED", `cannot open ${path}: ${e.code ?? e.message}`, -1, path);
    }
    try {
      const stats = fstatSync(fd, { bigint: true });
      if (!stats.isFile()) {
        throw new ElfError("ELF_OPEN_FAILED", `cannot open ${path}: not a regular file`, -1, path);
      }
      return new PositionedFile(path, fd, stats);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /**
   * Reads exactly `length` bytes at `offset`. `what` names the data for the error message when the
   * range runs past the end of the file. The buffer is unpooled, so its
   * ArrayBuffer starts at byte 0 and typed-array views over it are aligned.
   */
  read(offset: number, length: number, what: string): Buffer {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      const end = offset + length;
      throw new ElfError(
        "ELF_TRUNCATED",
        `${what} (${length} bytes at ${hex(offset)}) runs past the end of the file (size ${hex(this.size)})`,
        Number.isSafeInteger(offset) && offset <= this.size ? Math.min(end, this.size) : this.size,
        this.path,
      );
    }
    const buf = Buffer.allocUnsafeSlow(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.requireFd(), buf, done, length - done, offset + done);
      if (n === 0) {
        throw new ElfError("ELF_TRUNCATED", `${what}: file shrank while reading`, offset + done, this.path);
      }
      done += n;
    }
    return buf;
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  private requireFd(): number {
    if (this.fd === null) throw new Error(`PositionedFile ${this.path} is closed`);
    return this.fd;
  }
}
