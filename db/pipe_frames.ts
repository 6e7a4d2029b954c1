/**
 * Messages over a byte stream, such as a child process's standard input and
 * output: each is a 4-byte big-endian length and then that many bytes.
 */

/** The largest message either side accepts: far above any statement or reply of the app's. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/** Writes one message. */
export async function writeFrame(writer: WritableStreamDefaultWriter<Uint8Array>, bytes: Uint8Array): Promise<void> {
  await writer.write(framed(bytes));
}

/** A message with its length in front. */
function framed(bytes: Uint8Array): Uint8Array {
  const frame = new Uint8Array(4 + bytes.length);
  new DataView(frame.buffer).setUint32(0, bytes.length);
  frame.set(bytes, 4);
  return frame;
}

/** The length a message's header gives, refused when over the limit. */
function lengthOf(header: Uint8Array): number {
  const length = new DataView(header.buffer, header.byteOffset, 4).getUint32(0);
  if (length > MAX_FRAME_BYTES) throw new RangeError(`a message of ${length} bytes is over the limit`);
  return length;
}

/** Reads messages one after another from a stream. */
export class FrameReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #chunks: Uint8Array[] = [];
  #buffered = 0;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  /** The next message, or `null` once the stream ended between two messages. */
  async read(): Promise<Uint8Array | null> {
    const header = await this.#take(4);
    if (header === null) return null;
    const body = await this.#take(lengthOf(header));
    if (body === null) throw new Error("the stream ended inside a message");
    return body;
  }

  /** Stops reading. */
  cancel(): Promise<void> {
    return this.#reader.cancel();
  }

  /** Exactly `count` bytes, or `null` when the stream ends before the first of them. */
  async #take(count: number): Promise<Uint8Array | null> {
    while (this.#buffered < count) {
      const { value, done } = await this.#reader.read();
      if (done) {
        if (this.#buffered === 0) return null;
        throw new Error("the stream ended inside a message");
      }
      this.#chunks.push(value);
      this.#buffered += value.length;
    }
    if (count === 0) return new Uint8Array();
    const first = this.#chunks[0];
    if (first.length >= count) {
      // The common case: the whole message in the first chunk, taken without a copy.
      const taken = first.subarray(0, count);
      if (first.length === count) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(count);
      this.#buffered -= count;
      return taken;
    }
    const taken = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.#chunks[0];
      const part = Math.min(chunk.length, count - filled);
      taken.set(chunk.subarray(0, part), filled);
      filled += part;
      if (part === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(part);
    }
    this.#buffered -= count;
    return taken;
  }
}

/** A source of bytes read synchronously, such as `Deno.stdin`. */
export interface SyncReader {
  readSync(into: Uint8Array): number | null;
}

/** A sink of bytes written synchronously, such as `Deno.stdout`. */
export interface SyncWriter {
  writeSync(bytes: Uint8Array): number;
}

/**
 * Reads the next message, blocking until it is whole; `null` once the input
 * ended between two messages. For a process that has nothing else to do
 * meanwhile: no turn of an event loop stands between the bytes and the caller.
 */
export function readFrameSync(input: SyncReader): Uint8Array | null {
  const header = new Uint8Array(4);
  if (!fillSync(input, header)) return null;
  const length = lengthOf(header);
  const body = new Uint8Array(length);
  if (length > 0 && !fillSync(input, body)) throw new Error("the stream ended inside a message");
  return body;
}

/** Writes one message, blocking until all of it is written. */
export function writeFrameSync(output: SyncWriter, bytes: Uint8Array): void {
  const frame = framed(bytes);
  for (let written = 0; written < frame.length;) written += output.writeSync(frame.subarray(written));
}

/** Fills `into`; false when the input ended before its first byte, an error when it ended after. */
function fillSync(input: SyncReader, into: Uint8Array): boolean {
  for (let filled = 0; filled < into.length;) {
    const read = input.readSync(into.subarray(filled));
    if (read === null) {
      if (filled === 0) return false;
      throw new Error("the stream ended inside a message");
    }
    filled += read;
  }
  return true;
}
