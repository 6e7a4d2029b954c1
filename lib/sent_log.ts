/** How long a message id is remembered for de-duplication. */
export const DEDUP_WINDOW_MS = 5 * 60 * 1000;
/** How many recent ids are remembered per sender. */
const IDS_PER_SENDER = 32;

interface Ring {
  ids: (string | undefined)[];
  acks: string[];
  at: number[];
  next: number;
  /** When the newest entry was written, to forget idle senders. */
  newest: number;
}

/**
 * The last messages each sender sent, by their client ids, so that a retry is
 * acknowledged again (with the same frame) and not delivered twice. Each
 * sender has a small ring: no allocation per message, and a lookup is a scan
 * of a few short strings.
 *
 * @example
 * ```ts
 * log.remember(from, "m1", json, Date.now());
 * log.find(from, "m1", Date.now()); // json
 * ```
 */
export class SentLog {
  #bySender = new Map<string, Ring>();

  /** The acknowledgement of a message sent within the window, if there is one. */
  find(from: string, id: string, now: number): string | undefined {
    const ring = this.#bySender.get(from);
    if (ring === undefined) return undefined;
    for (let i = 0; i < IDS_PER_SENDER; i++) {
      if (ring.ids[i] === id) return now - ring.at[i] < DEDUP_WINDOW_MS ? ring.acks[i] : undefined;
    }
    return undefined;
  }

  /** Records a message's id and its acknowledgement, replacing the sender's oldest. */
  remember(from: string, id: string, ack: string, now: number): void {
    let ring = this.#bySender.get(from);
    if (ring === undefined) {
      ring = { ids: new Array(IDS_PER_SENDER), acks: new Array(IDS_PER_SENDER), at: [], next: 0, newest: now };
      this.#bySender.set(from, ring);
    }
    ring.ids[ring.next] = id;
    ring.acks[ring.next] = ack;
    ring.at[ring.next] = now;
    ring.next = (ring.next + 1) % IDS_PER_SENDER;
    ring.newest = now;
  }

  /** Forgets senders who sent nothing within the window. */
  prune(now: number): void {
    for (const [from, ring] of this.#bySender) {
      if (now - ring.newest >= DEDUP_WINDOW_MS) this.#bySender.delete(from);
    }
  }
}
