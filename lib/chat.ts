import type { Limits } from "../fresh.config.ts";
import { type Bus, NOTIFY_PAYLOAD_MAX_BYTES } from "./bus.ts";
import type { Connection } from "./connection.ts";
import type { Presence } from "./presence.ts";
import { SentLog } from "./sent_log.ts";
import { readFrame } from "./frames.ts";
import type { Metrics } from "./metrics.ts";
import type { DmFrame, ReadFrame, TypingFrame } from "./protocol.ts";

// C0 controls other than tab, line feed and carriage return, plus DEL.
// deno-lint-ignore no-control-regex
const TEXT_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

type Relayed = TypingFrame | ReadFrame;

/** A frame this long in UTF-16 units may pass the notification limit in UTF-8 (up to 3 bytes per unit). */
const NOTIFY_SAFE_UNITS = Math.floor(NOTIFY_PAYLOAD_MAX_BYTES / 3);
const encoder = new TextEncoder();

/**
 * Direct messages between users: validation, the seed's errors, echo to all
 * of the sender's tabs and delivery to all of the peer's, across instances
 * when needed. Each frame is serialized once and the same text goes to every
 * socket.
 *
 * @example
 * ```ts
 * socket.onmessage = (event) => chat.receive(connection, event.data);
 * ```
 */
export class Chat {
  #presence: Presence;
  #bus: Bus;
  #limits: Limits;
  #sent = new SentLog();
  #pruner: ReturnType<typeof setInterval>;

  #metrics: Metrics;

  constructor(presence: Presence, bus: Bus, limits: Limits, metrics: Metrics) {
    this.#presence = presence;
    this.#metrics = metrics;
    this.#bus = bus;
    this.#limits = limits;
    this.#pruner = setInterval(() => this.#sent.prune(Date.now()), 60_000);
  }

  /** Handles one frame from a chat socket; every refusal is answered and the socket stays usable. */
  receive(connection: Connection, data: unknown): void {
    // One clock reading per frame: the rate limit's and the DM's timestamp.
    const now = Date.now();
    const frame = readFrame(connection, data, this.#limits.frameMaxBytes, now);
    if (frame === null) return;
    switch (frame.type) {
      case "dm":
        this.#dm(connection, frame.to, frame.text, frame.id, now);
        break;
      case "typing":
        this.#relay(connection, { type: "typing", from: connection.userId, to: frame.to, state: frame.state });
        break;
      case "read":
        this.#relay(connection, { type: "read", from: connection.userId, to: frame.to, id: frame.id });
        break;
      case "ping":
        connection.send('{"type":"pong"}');
        break;
    }
  }

  /** Delivers a frame another instance routed here to the sockets it concerns on this one. */
  deliver(json: string): void {
    const frame = JSON.parse(json) as DmFrame | Relayed;
    this.#sendLocal(frame.to, json, null);
    if (frame.type !== "typing") this.#sendLocal(frame.from, json, null);
  }

  /** Stops the pruning timer. */
  close(): void {
    clearInterval(this.#pruner);
  }

  #dm(connection: Connection, to: string, text: string, id: string | undefined, now: number): void {
    const from = connection.userId;
    if (to === from) {
      connection.sendError("SELF_CHAT_BLOCKED", "You cannot message yourself", id);
      return;
    }
    if (text.length > this.#limits.messageMaxChars) {
      connection.sendError(
        "MESSAGE_TOO_LARGE",
        `Messages are limited to ${this.#limits.messageMaxChars} characters`,
        id,
      );
      return;
    }
    if (TEXT_FORBIDDEN.test(text) || !text.isWellFormed()) {
      connection.sendError("INVALID_PAYLOAD", 'field "text" must not contain control characters', id);
      return;
    }
    const firstSent = id === undefined ? undefined : this.#sent.find(from, id, now);
    if (firstSent !== undefined) {
      // A retry of a message already delivered: acknowledge it again, as first stamped; deliver nothing.
      connection.send(JSON.stringify({ type: "dm", from, to, text, timestamp: firstSent, id }));
      return;
    }
    const local = this.#presence.chatSockets(to);
    const remote = this.#presence.remoteChatInstances(to);
    if (!local?.size && !remote?.size) {
      connection.sendError("PEER_OFFLINE", "User is offline", id);
      return;
    }
    const message: DmFrame = id === undefined
      ? { type: "dm", from, to, text, timestamp: now }
      : { type: "dm", from, to, text, timestamp: now, id };
    const json = JSON.stringify(message);
    // The same bound wherever the peer is, so that whether a DM goes through never depends on the instance.
    if (json.length > NOTIFY_SAFE_UNITS && encoder.encode(json).length > NOTIFY_PAYLOAD_MAX_BYTES) {
      connection.sendError(
        "MESSAGE_TOO_LARGE",
        `Messages are limited to ${NOTIFY_PAYLOAD_MAX_BYTES} bytes encoded`,
        id,
      );
      return;
    }
    if (id !== undefined) this.#sent.remember(from, id, now);
    this.#metrics.dmsRelayed++;
    for (const socket of local ?? []) socket.send(json);
    for (const socket of connection.tabs) socket.send(json);
    this.#sendRemote(json, remote, this.#presence.remoteChatInstances(from));
  }

  /** Typing and read events: to the peer wherever they are, never an error when they are offline. */
  #relay(connection: Connection, frame: Relayed): void {
    if (frame.to === frame.from) return;
    this.#metrics.eventsRelayed++;
    const json = JSON.stringify(frame);
    this.#sendLocal(frame.to, json, null);
    // The reader's other tabs learn what was read, too.
    const alsoSender = frame.type === "read";
    if (alsoSender) this.#sendLocal(frame.from, json, connection);
    this.#sendRemote(
      json,
      this.#presence.remoteChatInstances(frame.to),
      alsoSender ? this.#presence.remoteChatInstances(frame.from) : undefined,
    );
  }

  #sendLocal(userId: string, json: string, except: Connection | null): void {
    const sockets = this.#presence.chatSockets(userId);
    if (sockets === undefined) return;
    for (const socket of sockets) if (socket !== except) socket.send(json);
  }

  #sendRemote(json: string, a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): void {
    if (a === undefined && b === undefined) return;
    const instances = new Set([...(a ?? []), ...(b ?? [])]);
    for (const instanceId of instances) this.#bus.sendTo(instanceId, json);
    this.#metrics.framesRoutedRemote += instances.size;
  }
}
