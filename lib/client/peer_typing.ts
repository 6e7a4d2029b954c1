/**
 * Which peers are typing to me: a `start` shows it, a `stop` or their
 * message hides it, and it hides by itself if no `stop` comes (a lost frame,
 * a closed tab).
 *
 * @example
 * ```ts
 * const typing = new PeerTyping(store.typingPeers);
 * typing.set(frame.from, frame.state);
 * ```
 *
 * @module
 */
import type { Signal } from "@preact/signals";
import { PEER_TYPING_SHOWN_MS } from "./typing.ts";

/** Keeps a set of typing peers in a signal, with expiry. */
export class PeerTyping {
  #peers: Signal<ReadonlySet<string>>;
  #shownMs: number;
  #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(peers: Signal<ReadonlySet<string>>, shownMs = PEER_TYPING_SHOWN_MS) {
    this.#peers = peers;
    this.#shownMs = shownMs;
  }

  /** A peer started or stopped typing. */
  set(peerId: string, state: "start" | "stop"): void {
    clearTimeout(this.#timers.get(peerId));
    this.#timers.delete(peerId);
    const peers = this.#peers;
    if (state === "start") {
      this.#timers.set(peerId, setTimeout(() => this.set(peerId, "stop"), this.#shownMs));
      if (!peers.value.has(peerId)) peers.value = new Set(peers.value).add(peerId);
    } else if (peers.value.has(peerId)) {
      const next = new Set(peers.value);
      next.delete(peerId);
      peers.value = next;
    }
  }
}
