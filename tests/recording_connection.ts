import { Connection, ConnectionKind } from "../lib/connection.ts";
import { Metrics } from "../lib/metrics.ts";

/**
 * A connection over a socket that records the frames sent to it, for
 * driving the roster and presence without a network.
 *
 * @example
 * ```ts
 * const watch = recordingConnection(crypto.randomUUID(), ConnectionKind.Presence);
 * feed.follow(watch.connection);
 * await watch.nextSend();
 * ```
 */
export function recordingConnection(userId: string, kind: ConnectionKind) {
  const frames: Record<string, unknown>[] = [];
  const waiting = new Set<() => void>();
  const socket = {
    readyState: WebSocket.OPEN,
    bufferedAmount: 0,
    send(text: string) {
      frames.push(JSON.parse(text));
      for (const wake of waiting) wake();
      waiting.clear();
    },
    close() {},
  };
  const limits = { ratePerSec: 10, rateBurst: 10, sendBufferMaxBytes: 1 << 20 };
  const connection = new Connection(socket as unknown as WebSocket, userId, kind, limits, new Metrics());
  /** Resolves when the next frame is sent. */
  const nextSend = () => new Promise<void>((resolve) => waiting.add(resolve));
  return { connection, socket, frames, nextSend };
}
