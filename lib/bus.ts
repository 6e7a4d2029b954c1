import type { Database, Notification } from "../db/database.ts";
import { log } from "./log.ts";

/** Channel on which every instance announces presence changes. */
const PRESENCE_CHANNEL = "quick_chat_presence";

/**
 * PostgreSQL refuses a notification payload of 8,000 bytes or more. Frames
 * are measured in UTF-16 units, each at most 3 bytes in UTF-8.
 */
export const NOTIFY_PAYLOAD_MAX_BYTES = 7_999;

/** Frames waiting for one instance while the link is down; older ones are dropped beyond this. */
const OUTBOX_MAX_FRAMES = 4_096;

/** A notification not sent within this long counts as failed, so one stuck connection cannot hold up the rest. */
const NOTIFY_TIMEOUT_MS = 5_000;

/** Chat frames on their way to one instance. */
interface Outbox {
  frames: string[];
  /** Whether a notification to the instance is in flight. */
  sending: boolean;
  /** Frames dropped from the front since the outbox filled up. */
  dropped: number;
}

/** A presence change announced to the other instances. */
export type ClusterEvent =
  | { t: "join"; u: string; n: string }
  | { t: "leave"; u: string[] }
  | { t: "logout"; u: string }
  | { t: "chat"; u: string; c: boolean }
  | { t: "gone"; i: string[] };

/** What the bus hands to its owner. */
export interface BusHandlers {
  /** A presence change from another instance. */
  event(event: ClusterEvent, from: string): void;
  /** A chat frame (JSON text) another instance routed to this one. */
  frame(json: string): void;
  /** The listener came back after a drop: notifications sent meanwhile are lost. */
  resync(): void;
}

/**
 * PostgreSQL's LISTEN/NOTIFY as the instances' message bus: one shared
 * channel for presence, one channel per instance for chat frames. With the
 * embedded database there is a single instance, so the bus stays silent.
 *
 * Chat frames to one instance go out one notification at a time, in order;
 * those that come while one is in flight leave together in the next, one
 * frame per line. Under load that turns thousands of statements a second
 * into a few hundred, and when idle a frame leaves at once.
 *
 * @example
 * ```ts
 * const bus = new Bus(db, instanceId);
 * await bus.start({ event, frame, resync });
 * bus.publish({ t: "join", u: userId, n: "Ada" });
 * ```
 */
export class Bus {
  readonly enabled: boolean;
  #db: Database;
  #instanceId: string;
  #unlisten: (() => Promise<void>)[] = [];
  #outboxes = new Map<string, Outbox>();

  constructor(db: Database, instanceId: string) {
    this.#db = db;
    this.#instanceId = instanceId;
    this.enabled = db.kind === "postgres";
  }

  /** Listens on the shared channel and this instance's own channel. */
  async start(handlers: BusHandlers): Promise<void> {
    if (!this.enabled) return;
    let listens = 0;
    const onListen = () => {
      // Two subscriptions report in at start; any report after that is a reconnect.
      if (++listens > 2) handlers.resync();
    };
    this.#unlisten.push(
      await this.#db.listen(PRESENCE_CHANNEL, (payload) => {
        const message = JSON.parse(payload) as { i: string; e: ClusterEvent };
        if (message.i !== this.#instanceId) handlers.event(message.e, message.i);
      }, onListen),
      await this.#db.listen(channelOf(this.#instanceId), (payload) => {
        // JSON text holds no raw line break: each line is one frame, delivered on its own.
        for (const json of payload.includes("\n") ? payload.split("\n") : [payload]) {
          try {
            handlers.frame(json);
          } catch (error) {
            log.warn("bus.frame_failed", { error: String(error) });
          }
        }
      }, onListen),
    );
  }

  /** Announces a presence change to the other instances. */
  publish(event: ClusterEvent): void {
    const notification = this.announcement(event);
    if (notification === null) return;
    this.#db.notify(notification.channel, notification.payload).catch((error) =>
      log.warn("bus.publish_failed", { error: String(error) })
    );
  }

  /**
   * The notification that announces a presence change, for a statement to
   * send along with the write it announces; `null` when the bus is silent.
   */
  announcement(event: ClusterEvent): Notification | null {
    if (!this.enabled) return null;
    return { channel: PRESENCE_CHANNEL, payload: JSON.stringify({ i: this.#instanceId, e: event }) };
  }

  /** Routes a chat frame (JSON text) to another instance. */
  sendTo(instanceId: string, json: string): void {
    let outbox = this.#outboxes.get(instanceId);
    if (outbox === undefined) this.#outboxes.set(instanceId, outbox = { frames: [], sending: false, dropped: 0 });
    outbox.frames.push(json);
    if (outbox.frames.length > OUTBOX_MAX_FRAMES) {
      outbox.frames.shift();
      outbox.dropped++;
    }
    if (!outbox.sending) this.#drain(instanceId, outbox);
  }

  /** Sends an instance's waiting frames, as many per notification as fit, until none wait. */
  async #drain(instanceId: string, outbox: Outbox): Promise<void> {
    outbox.sending = true;
    while (outbox.frames.length > 0) {
      let count = 0;
      let bytes = 0;
      for (const frame of outbox.frames) {
        const size = frame.length * 3 + 1;
        if (count > 0 && bytes + size > NOTIFY_PAYLOAD_MAX_BYTES) break;
        bytes += size;
        count++;
      }
      const payload = count === 1 ? outbox.frames.shift()! : outbox.frames.splice(0, count).join("\n");
      try {
        await withTimeout(this.#db.notify(channelOf(instanceId), payload), NOTIFY_TIMEOUT_MS);
      } catch (error) {
        log.warn("bus.send_failed", { instance_id: instanceId, frames: count, error: String(error) });
      }
    }
    // One line for the whole episode rather than one per frame.
    if (outbox.dropped > 0) log.warn("bus.frames_dropped", { instance_id: instanceId, frames: outbox.dropped });
    outbox.sending = false;
    // An instance that went away leaves no outbox behind.
    this.#outboxes.delete(instanceId);
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.#unlisten.map((unlisten) => unlisten()));
    this.#unlisten = [];
  }
}

/** Settles like `promise`, or rejects once `ms` passed without it settling. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function channelOf(instanceId: string): string {
  return `quick_chat_${instanceId.replaceAll("-", "")}`;
}
