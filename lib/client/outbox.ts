/**
 * My messages on their way: written to the chat socket when it is open,
 * queued while it is not, and sent again after a reconnect (the server
 * acknowledges a repeated id again without delivering it twice).
 *
 * Peers reconnect in their own time, so for a while after a reconnect a
 * queued message waits for its peer: it goes only to peers in the roster,
 * and a `PEER_OFFLINE` puts it back in the queue, tried again every second.
 * After that it goes anyway, and fails for good if the peer is still away.
 * A message refused as `PEER_OFFLINE` while the roster still lists its peer
 * (their chat socket is reconnecting: a reload, a network change) waits for
 * them the same way, once.
 * A message refused as `RATE_LIMITED` goes back in the queue too, and out
 * again a second later.
 *
 * @example
 * ```ts
 * const outbox = new Outbox({ conversations, roster, send: (frame) => chat.send(frame) });
 * outbox.reconnected(); // on every open of the chat socket, once the roster is current
 * outbox.send(peerId, id, text);
 * ```
 *
 * @module
 */
import type { Signal } from "@preact/signals";
import type { ClientFrame } from "../protocol.ts";
import { type Conversations, setDelivery, unacknowledged } from "./conversations.ts";
import type { Roster } from "./roster.ts";

/** What an {@link Outbox} works with. */
export interface OutboxOptions {
  /** The conversations, where each message's delivery is kept. */
  conversations: Signal<Conversations>;
  /** Who is online now. */
  roster: { readonly value: Roster };
  /** Writes a frame to the chat socket if it is open; says whether it did. */
  send(frame: ClientFrame): boolean;
  /** How long queued messages wait for their peer after a reconnect, in milliseconds. */
  peerReturnMs?: number;
  /** How often held messages are tried again meanwhile, in milliseconds. */
  retryEveryMs?: number;
}

/** Messages are held for their peer up to 8 s after a reconnect. */
export const PEER_RETURN_MS = 8000;

/** Sends, queues and re-sends my messages. */
export class Outbox {
  #options: OutboxOptions;
  /** Whether the chat socket is open and the roster current. */
  #ready = false;
  /** Until when queued messages wait for their peer (epoch ms). */
  #waitUntil = 0;
  /** Queued messages sent while waiting: a `PEER_OFFLINE` for them means "not back yet". */
  #requeueOnOffline = new Set<string>();
  /** Messages that waited for a listed peer already: another `PEER_OFFLINE` fails them. */
  #waitedForPeer = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Until when new messages queue behind one refused for my pace, so as not to overtake it (epoch ms). */
  #pausedUntil = 0;

  constructor(options: OutboxOptions) {
    this.#options = options;
  }

  /** Sends a message written or retried by hand now if the socket is open; otherwise it stays queued. */
  send(peerId: string, id: string, text: string): void {
    this.#waitedForPeer.delete(id);
    this.#send(peerId, id, text);
  }

  #send(peerId: string, id: string, text: string): void {
    if (Date.now() < this.#pausedUntil) return;
    if (this.#options.send({ type: "dm", to: peerId, text, id })) this.#setDelivery(peerId, id, "sent");
  }

  /** The chat socket opened and the roster is current: the queue starts waiting for peers, then flushes. */
  reconnected(): void {
    this.#ready = true;
    this.#waitUntil = Date.now() + (this.#options.peerReturnMs ?? PEER_RETURN_MS);
    this.flush();
  }

  /** The roster is stale (its socket closed): queued messages wait until `reconnected`. */
  hold(): void {
    this.#ready = false;
    clearTimeout(this.#timer);
  }

  /** The chat socket closed: messages not yet acknowledged go back in the queue. */
  disconnected(): void {
    this.hold();
    this.#requeueOnOffline.clear();
    this.#waitedForPeer.clear();
    for (const { peerId, message } of unacknowledged(this.#options.conversations.value)) {
      if (message.delivery === "sent") this.#setDelivery(peerId, message.id, "sending");
    }
  }

  /** Sends what the queue holds for peers who are online (for everyone, once the wait is over). */
  flush(): void {
    clearTimeout(this.#timer);
    const pausedFor = this.#pausedUntil - Date.now();
    if (pausedFor > 0) {
      // Refused for my pace a moment ago: nothing goes before the pause ends, whatever asks.
      if (this.#ready) this.#timer = setTimeout(() => this.flush(), pausedFor);
      return;
    }
    this.#pausedUntil = 0;
    if (!this.#ready) return;
    const roster = this.#options.roster.value;
    const waiting = Date.now() < this.#waitUntil;
    if (!waiting) this.#requeueOnOffline.clear();
    let held = false;
    for (const { peerId, message } of unacknowledged(this.#options.conversations.value)) {
      if (message.delivery !== "sending") continue;
      if (waiting && !roster.has(peerId)) {
        held = true;
        continue;
      }
      if (waiting) this.#requeueOnOffline.add(message.id);
      this.#send(peerId, message.id, message.text);
    }
    if (held || this.#requeueOnOffline.size > 0) {
      const retryEveryMs = this.#options.retryEveryMs ?? 1000;
      this.#timer = setTimeout(() => this.flush(), Math.max(0, Math.min(retryEveryMs, this.#waitUntil - Date.now())));
    }
  }

  /** The server echoed a message of mine: it arrived. */
  acknowledged(id: string): void {
    this.#requeueOnOffline.delete(id);
    this.#waitedForPeer.delete(id);
  }

  /**
   * The server answered `PEER_OFFLINE` for a message: `true` when the outbox
   * queued it again (its peer may still come back), `false` when it failed.
   */
  peerOffline(id: string): boolean {
    const mine = unacknowledged(this.#options.conversations.value).filter(({ message }) => message.id === id);
    if (this.#requeueOnOffline.delete(id)) {
      // It waits in the window of my reconnect, and fails if its peer is still away after it.
      this.#waitedForPeer.add(id);
    } else {
      const listed = mine.some(({ peerId }) => this.#options.roster.value.has(peerId));
      if (!this.#ready || !listed || this.#waitedForPeer.has(id)) {
        this.#waitedForPeer.delete(id);
        return false;
      }
      // Listed but without a chat socket: wait for it as after a reconnect of mine.
      this.#waitedForPeer.add(id);
      this.#waitUntil = Math.max(this.#waitUntil, Date.now() + (this.#options.peerReturnMs ?? PEER_RETURN_MS));
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.flush(), this.#options.retryEveryMs ?? 1000);
    }
    for (const { peerId } of mine) this.#setDelivery(peerId, id, "sending");
    return true;
  }

  /**
   * The server refused a message of mine for my pace (`RATE_LIMITED`): it
   * goes back in the queue and out again after a pause, with the messages
   * written meanwhile queued behind it, so a quick burst of messages still
   * arrives whole and, but for those already on their way, in order. `false`
   * when no message of mine waits for an answer under that id.
   */
  rateLimited(id: string): boolean {
    let queued = false;
    for (const { peerId, message } of unacknowledged(this.#options.conversations.value)) {
      if (message.id !== id || message.delivery !== "sent") continue;
      this.#setDelivery(peerId, id, "sending");
      queued = true;
    }
    if (queued && this.#ready) {
      const pauseMs = this.#options.retryEveryMs ?? 1000;
      this.#pausedUntil = Date.now() + pauseMs;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.flush(), pauseMs);
    }
    return queued;
  }

  /** Stops the retry timer. */
  close(): void {
    clearTimeout(this.#timer);
  }

  #setDelivery(peerId: string, id: string, delivery: "sending" | "sent"): void {
    const conversations = this.#options.conversations;
    conversations.value = setDelivery(conversations.value, peerId, id, delivery);
  }
}
