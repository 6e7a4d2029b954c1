/**
 * How fast this machine wakes a process and makes a write durable, measured
 * before a run. The join storm is a chain of such steps (a request wakes the
 * server, a statement wakes PostgreSQL, its commit waits for the disk, the
 * answers wake each one back), and machines of the same kind differ in them
 * from day to day (`pg_test_fsync` gave 95 µs per `fdatasync` on one day and
 * 224 µs on another), so each report carries them beside its figures.
 *
 * @example
 * ```ts
 * const calibration = await measureCalibration(Deno.cwd());
 * console.log(calibration.roundTripAfterIdleUs, calibration.syncUs);
 * ```
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { Samples } from "./stats.ts";

/** The machine's pace, in microseconds, each a median. */
export interface MachineCalibration {
  /** A one-byte round trip to another process over loopback TCP, one right after another. */
  roundTripUs: number;
  /** The same round trip after both processes sat idle for {@link IDLE_MS}: what waking them costs. */
  roundTripAfterIdleUs: number;
  /** `fdatasync` after overwriting 8 KiB of a file, as a database's log does on commit. */
  syncUs: number;
}

/** How long both processes sit idle before each round trip of `roundTripAfterIdleUs`. */
export const IDLE_MS = 2;
const ROUND_TRIPS = 300;
const WARM_UP_ROUND_TRIPS = 50;
const SYNCS = 100;
const BLOCK_BYTES = 8192;
/**
 * The peer is stopped after this long whatever it is doing, so a peer that
 * never answers ends the measurement with an error instead of hanging it.
 */
const PEER_LIFETIME_MS = 30_000;

const PEER = fileURLToPath(new URL("./echo_peer.ts", import.meta.url));

/** Measures the round trips (with an echo peer of its own) and the syncs (with a file in `dir`). */
export async function measureCalibration(dir: string): Promise<MachineCalibration> {
  return { ...await measureRoundTrips(), syncUs: await measureSync(dir) };
}

async function measureRoundTrips(): Promise<Pick<MachineCalibration, "roundTripUs" | "roundTripAfterIdleUs">> {
  const peer = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=127.0.0.1", PEER],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stop = () => {
    try {
      peer.kill();
    } catch {
      // It has exited already; its status says how.
    }
  };
  const watchdog = setTimeout(stop, PEER_LIFETIME_MS);
  let connection: Deno.TcpConn | undefined;
  try {
    const port = await firstLine(peer.stdout);
    connection = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
    connection.setNoDelay(true);
    const roundTrip = roundTripper(connection);
    for (let i = 0; i < WARM_UP_ROUND_TRIPS; i++) await roundTrip();
    const busy = new Samples(ROUND_TRIPS);
    for (let i = 0; i < ROUND_TRIPS; i++) busy.add(await roundTrip());
    const afterIdle = new Samples(ROUND_TRIPS);
    for (let i = 0; i < ROUND_TRIPS; i++) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      afterIdle.add(await roundTrip());
    }
    return { roundTripUs: busy.summary().p50, roundTripAfterIdleUs: afterIdle.summary().p50 };
  } finally {
    clearTimeout(watchdog);
    connection?.close();
    stop();
    await peer.status;
  }
}

/** A function that sends one byte, waits for it to come back and returns the time taken, in µs. */
function roundTripper(connection: Deno.TcpConn): () => Promise<number> {
  const byte = new Uint8Array([42]);
  const reply = new Uint8Array(1);
  return async () => {
    const started = performance.now();
    await connection.write(byte);
    if (await connection.read(reply) === null) {
      throw new Error(`the echo peer closed the connection (it is stopped after ${PEER_LIFETIME_MS} ms)`);
    }
    return (performance.now() - started) * 1000;
  };
}

/**
 * Synchronous calls, so that the time is the system call's and not also the
 * hop to and from the runtime's thread pool that the asynchronous ones take.
 */
async function measureSync(dir: string): Promise<number> {
  const path = await Deno.makeTempFile({ dir, prefix: ".calibration-" });
  try {
    using file = Deno.openSync(path, { write: true });
    // Written and made durable once, so each measured sync flushes data alone, not the file's growth.
    const block = new Uint8Array(BLOCK_BYTES).fill(1);
    for (let i = 0; i < SYNCS; i++) writeAll(file, block);
    file.syncSync();
    const times = new Samples(SYNCS);
    for (let i = 0; i < SYNCS; i++) {
      file.seekSync(i * BLOCK_BYTES, Deno.SeekMode.Start);
      writeAll(file, block);
      const started = performance.now();
      file.syncDataSync();
      times.add((performance.now() - started) * 1000);
    }
    return times.summary().p50;
  } finally {
    await Deno.remove(path);
  }
}

function writeAll(file: Deno.FsFile, data: Uint8Array): void {
  for (let written = 0; written < data.length;) written += file.writeSync(data.subarray(written));
}

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) {
      throw new Error(`the echo peer exited before printing its port (it is stopped after ${PEER_LIFETIME_MS} ms)`);
    }
    text += decoder.decode(value, { stream: true });
  }
  // Nothing else comes: closing our end leaves no pipe open behind the peer.
  await reader.cancel();
  return text.slice(0, text.indexOf("\n")).trim();
}
