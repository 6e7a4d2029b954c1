/** How long a message id is remembered for de-duplication. */
export const DEDUP_WINDOW_MS = 5 * 60 * 1000;
/** How many recent ids are remembered per sender. */
const IDS_PER_SENDER = 32;

interface Ring {
  /** 52-bit fingerprints of the ids; 0 marks an empty slot. */
  ids: Float64Array;
  /** When each message was accepted: its timestamp, repeated in the acknowledgement of a retry. */
  at: Float64Array;
  next: number;
  /** When the newest entry was written, to forget idle senders. */
  newest: number;
}

/**
 * The last messages each sender sent, by their client ids, so that a retry is
 * acknowledged again (with the first timestamp) and not delivered twice. Each
 * sender has a small ring of numbers — a 52-bit fingerprint of each id and its
 * timestamp — so that remembering messages creates nothing for the garbage
 * collector to copy, at thousands of messages a second.
 *
 * @example
 * ```ts
 * log.remember(from, "m1", Date.now());
 * log.find(from, "m1", Date.now()); // the first timestamp
 * ```
 */
export class SentLog {
  #bySender = new Map<string, Ring>();

  /** The timestamp of a message sent with this id within the window, if there is one. */
  find(from: string, id: string, now: number): number | undefined {
    const ring = this.#bySender.get(from);
    if (ring === undefined) return undefined;
    const fingerprint = fingerprintOf(id);
    for (let i = 0; i < IDS_PER_SENDER; i++) {
      if (ring.ids[i] === fingerprint) return now - ring.at[i] < DEDUP_WINDOW_MS ? ring.at[i] : undefined;
    }
    return undefined;
  }

  /** Records a message's id and timestamp, replacing the sender's oldest. */
  remember(from: string, id: string, timestamp: number): void {
    let ring = this.#bySender.get(from);
    if (ring === undefined) {
      ring = {
        ids: new Float64Array(IDS_PER_SENDER),
        at: new Float64Array(IDS_PER_SENDER),
        next: 0,
        newest: timestamp,
      };
      this.#bySender.set(from, ring);
    }
    ring.ids[ring.next] = fingerprintOf(id);
    ring.at[ring.next] = timestamp;
    ring.next = (ring.next + 1) % IDS_PER_SENDER;
    ring.newest = timestamp;
  }

  /** Forgets senders who sent nothing within the window. */
  prune(now: number): void {
    for (const [from, ring] of this.#bySender) {
      if (now - ring.newest >= DEDUP_WINDOW_MS) this.#bySender.delete(from);
    }
  }
}

/**
 * Two FNV-1a hashes of the id, joined into a number below 2^52 and never 0.
 * Among a sender's 32 remembered ids, a false match has odds of about 1 in 10^14.
 */
export function fingerprintOf(id: string): number {
  let low = 0x811c9dc5;
  let high = 0x01000193 ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    low = Math.imul(low ^ code, 0x01000193) >>> 0;
    high = Math.imul(high ^ code, 0x5bd1e995) >>> 0;
  }
  return (high & 0xfffff) * 0x100000000 + low + 1;
}
