import assert from "node:assert/strict";
import {
  FrameReader,
  MAX_FRAME_BYTES,
  readFrameSync,
  type SyncReader,
  writeFrame,
  writeFrameSync,
} from "./pipe_frames.ts";

/** A stream that hands out the given chunks, then ends. */
function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(chunks);
}

/** The bytes `writeFrame` writes for each message, one after another. */
async function framed(messages: Uint8Array[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const writer = new WritableStream<Uint8Array>({ write: (chunk) => void parts.push(chunk) }).getWriter();
  for (const message of messages) await writeFrame(writer, message);
  return new Uint8Array(parts.flatMap((part) => [...part]));
}

async function readAll(reader: FrameReader): Promise<number[][]> {
  const read: number[][] = [];
  for (let message = await reader.read(); message !== null; message = await reader.read()) read.push([...message]);
  return read;
}

const messages = [new Uint8Array([1, 2, 3]), new Uint8Array(), new Uint8Array(1000).fill(7), new Uint8Array([9])];

Deno.test("pipe frames - messages come out whole however the stream cuts them", async () => {
  const bytes = await framed(messages);
  const expected = messages.map((message) => [...message]);
  // In one chunk, byte by byte, and in chunks of every size from 2 to 9.
  assert.deepEqual(await readAll(new FrameReader(streamOf([bytes]))), expected);
  assert.deepEqual(
    await readAll(new FrameReader(streamOf([...bytes].map((byte) => new Uint8Array([byte]))))),
    expected,
  );
  for (let size = 2; size < 10; size++) {
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
    assert.deepEqual(await readAll(new FrameReader(streamOf(chunks))), expected, `chunks of ${size}`);
  }
});

Deno.test("pipe frames - a stream that ends inside a message is an error, not a short message", async () => {
  const bytes = await framed([new Uint8Array([1, 2, 3, 4])]);
  for (const cut of [2, 6]) {
    const reader = new FrameReader(streamOf([bytes.subarray(0, cut)]));
    await assert.rejects(reader.read(), /ended inside a message/, `cut after ${cut} bytes`);
  }
});

Deno.test("pipe frames - a length over the limit is refused before anything is buffered", async () => {
  const header = new Uint8Array(4);
  new DataView(header.buffer).setUint32(0, MAX_FRAME_BYTES + 1);
  await assert.rejects(new FrameReader(streamOf([header])).read(), RangeError);
});

/** A synchronous reader that hands out at most `size` bytes per read. */
function syncReaderOf(bytes: Uint8Array, size: number): SyncReader {
  let at = 0;
  return {
    readSync(into) {
      if (at === bytes.length) return null;
      const count = Math.min(size, into.length, bytes.length - at);
      into.set(bytes.subarray(at, at + count));
      at += count;
      return count;
    },
  };
}

Deno.test("pipe frames - read and written synchronously, messages come out as the streams' do", async () => {
  const bytes = await framed(messages);
  // Written by a sink that takes at most 3 bytes at a time.
  const written: number[] = [];
  const sink = {
    writeSync(chunk: Uint8Array) {
      const taken = chunk.subarray(0, 3);
      written.push(...taken);
      return taken.length;
    },
  };
  for (const message of messages) writeFrameSync(sink, message);
  assert.deepEqual(written, [...bytes]);
  for (const size of [1, 2, 5, bytes.length]) {
    const reader = syncReaderOf(bytes, size);
    const read: number[][] = [];
    for (let message = readFrameSync(reader); message !== null; message = readFrameSync(reader)) {
      read.push([...message]);
    }
    assert.deepEqual(read, messages.map((message) => [...message]), `reads of ${size}`);
  }
  assert.throws(() => readFrameSync(syncReaderOf(bytes.subarray(0, 6), 4)), /ended inside a message/);
  const header = new Uint8Array(4);
  new DataView(header.buffer).setUint32(0, MAX_FRAME_BYTES + 1);
  assert.throws(() => readFrameSync(syncReaderOf(header, 4)), RangeError);
});
