/**
 * Positioned reads of a file through one small window, so that a format reader can walk headers and tag
 * entries anywhere in a file of any size while holding only a few kilobytes: nothing here reads a file whole.
 */
import { open, type FileHandle } from 'node:fs/promises';

/** Thrown when a reader asks for bytes the file does not have, or when a format's structure is broken. */
export class MalformedFile extends Error {
  override readonly name = 'MalformedFile';
}

const WINDOW_BYTES = 64 * 1024;

export class FileWindow {
  /** Reused for every refill: walking a large file makes no garbage, so the peak does not wait on the GC. */
  private readonly buffer = Buffer.alloc(WINDOW_BYTES);
  private window: Buffer = this.buffer.subarray(0, 0);
  private windowStart = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** Opens a file for positioned reads; the caller closes it (`close`) when done. */
  static async open(filePath: string): Promise<FileWindow> {
    const handle = await open(filePath, 'r');
    try {
      const stats = await handle.stat();
      return new FileWindow(handle, stats.size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * `length` bytes from `offset`. Small reads are served from the window (refilled from `offset` when they fall
   * outside it), so a reader walking a structure forwards costs one system call per window; the returned
   * buffer may share memory with the window and is valid until the next read.
   */
  async read(offset: number, length: number): Promise<Buffer> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new MalformedFile(`bad read of ${length} bytes at ${offset}`);
    }
    if (offset + length > this.size) {
      throw new MalformedFile(`the file ends at byte ${this.size}, before ${offset + length}`);
    }
    if (offset >= this.windowStart && offset + length <= this.windowStart + this.window.length) {
      return this.window.subarray(offset - this.windowStart, offset - this.windowStart + length);
    }
    if (length > WINDOW_BYTES) return this.readExactly(Buffer.alloc(length), offset);
    this.window = await this.readExactly(
      this.buffer.subarray(0, Math.min(WINDOW_BYTES, this.size - offset)),
      offset,
    );
    this.windowStart = offset;
    return this.window.subarray(0, length);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private async readExactly(buffer: Buffer, offset: number): Promise<Buffer> {
    const length = buffer.length;
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(buffer, filled, length - filled, offset + filled);
      if (bytesRead === 0) throw new MalformedFile(`the file ended early at byte ${offset + filled}`);
      filled += bytesRead;
    }
    return buffer;
  }
}

/** Runs `work` with the file open for positioned reads and closes it whatever happens. */
export async function withFileWindow<T>(
  filePath: string,
  work: (file: FileWindow) => Promise<T>,
): Promise<T> {
  const file = await FileWindow.open(filePath);
  try {
    return await work(file);
  } finally {
    await file.close();
  }
}
