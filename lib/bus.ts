import type { Database } from "../db/database.ts";
import { log } from "./log.ts";

/** Channel on which every instance announces presence changes. */
const PRESENCE_CHANNEL = "quick_chat_presence";

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
      await this.#db.listen(channelOf(this.#instanceId), handlers.frame, onListen),
    );
  }

  /** Announces a presence change to the other instances. */
  publish(event: ClusterEvent): void {
    if (!this.enabled) return;
    this.#db.notify(PRESENCE_CHANNEL, JSON.stringify({ i: this.#instanceId, e: event })).catch((error) =>
      log.warn("bus.publish_failed", { error: String(error) })
    );
  }

  /** Routes a chat frame to another instance. */
  sendTo(instanceId: string, json: string): void {
    this.#db.notify(channelOf(instanceId), json).catch((error) =>
      log.warn("bus.send_failed", { error: String(error) })
    );
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.#unlisten.map((unlisten) => unlisten()));
    this.#unlisten = [];
  }
}

function channelOf(instanceId: string): string {
  return `quick_chat_${instanceId.replaceAll("-", "")}`;
}
