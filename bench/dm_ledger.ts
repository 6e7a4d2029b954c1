/**
 * Book-keeping for one DM run: every DM sent gets a sequence number (its `id`
 * on the wire) and a slot in typed arrays holding its send time, its sender
 * and what came back for it. Matching a frame to its DM is then an array
 * index, with no map and no per-message object.
 *
 * Sequence numbers start at `firstSeq`, so runs on the same sockets never
 * reuse an id: Quick Chat takes a repeated id from the same sender for a
 * retry, and acknowledges it without delivering it again.
 *
 * @example
 * ```ts
 * const ledger = new DmLedger(0);
 * const seq = ledger.sent(0, performance.now());
 * ledger.receive(1, `{"type":"dm","id":"${seq}"}`); // delivered to user 1
 * ledger.receive(0, `{"type":"dm","id":"${seq}"}`); // echoed to user 0
 * ```
 *
 * @module
 */
import { scanDmSeq } from "./frame_scan.ts";
import { Samples, type Summary } from "./stats.ts";

const DELIVERED = 1;
const ECHOED = 2;
const REFUSED = 4;
const SETTLED = DELIVERED | ECHOED;

/** What a DM run ended with. */
export interface LedgerTotals {
  sent: number;
  delivered: number;
  echoed: number;
  /** DMs sent but never delivered to the recipient (refused ones included). */
  lostDeliveries: number;
  /** DMs sent but never echoed to the sender (refused ones included). */
  lostEchoes: number;
  duplicates: number;
  /** Frames with a `dm` type and an id this run never sent. */
  strays: number;
  /** Error frames received, by code. */
  errors: Record<string, number>;
  /** Send to recipient's socket, milliseconds. */
  latency: Summary;
}

/** Tracks the DMs of one run and the frames that answer them. */
export class DmLedger {
  #sentAt = new Float64Array(1 << 16);
  #sender = new Int32Array(1 << 16);
  #state = new Uint8Array(1 << 16);
  #first: number;
  #next = 0;
  #delivered = 0;
  #echoed = 0;
  #settled = 0;
  #duplicates = 0;
  #strays = 0;
  #errors: Record<string, number> = {};
  #latency = new Samples(1 << 16);
  /** When each DM reached its recipient (`performance.now()`), kept for {@link timelineCsv}; NaN until then. */
  #deliveredAt: Float64Array | null;
  #whenSettled: { count: number; resolve: () => void } | undefined;

  /** With `keepTimeline`, each DM's delivery time is kept too, for {@link timelineCsv}. */
  constructor(firstSeq: number, options: { keepTimeline?: boolean } = {}) {
    this.#first = firstSeq;
    this.#deliveredAt = options.keepTimeline ? new Float64Array(1 << 16).fill(NaN) : null;
  }

  /** Called when a DM is delivered and echoed, or refused; the closed loop refills its window here. */
  onSettled: (seq: number) => void = () => {};

  /** DMs sent so far. */
  get sentCount(): number {
    return this.#next;
  }

  /** DMs delivered to their recipient so far. */
  get deliveredCount(): number {
    return this.#delivered;
  }

  /** Records a DM about to be sent and returns its sequence number. */
  sent(sender: number, at: number): number {
    const slot = this.#next++;
    if (slot === this.#state.length) this.#grow();
    this.#sentAt[slot] = at;
    this.#sender[slot] = sender;
    return this.#first + slot;
  }

  /** Accounts for a frame received on `user`'s chat socket. */
  receive(user: number, frame: string): void {
    const now = performance.now();
    const seq = scanDmSeq(frame);
    if (seq < 0) return this.#receiveOther(frame);
    const slot = seq - this.#first;
    if (slot < 0 || slot >= this.#next) {
      this.#strays++;
      return;
    }
    const bit = this.#sender[slot] === user ? ECHOED : DELIVERED;
    const state = this.#state[slot];
    if (state & bit) {
      this.#duplicates++;
      return;
    }
    this.#state[slot] = state | bit;
    if (bit === DELIVERED) {
      this.#delivered++;
      this.#latency.add(now - this.#sentAt[slot]);
      if (this.#deliveredAt !== null) this.#deliveredAt[slot] = now;
    } else {
      this.#echoed++;
    }
    if ((state | bit) === SETTLED && !(state & REFUSED)) this.#settle(seq);
  }

  /** Resolves once `count` DMs have settled, or when `timeoutMs` passes; true if they all did. */
  waitSettled(count: number, timeoutMs: number): Promise<boolean> {
    if (this.#settled >= count) return Promise.resolve(true);
    const { promise, resolve } = Promise.withResolvers<boolean>();
    const timer = setTimeout(() => {
      this.#whenSettled = undefined;
      resolve(false);
    }, timeoutMs);
    this.#whenSettled = {
      count,
      resolve: () => {
        clearTimeout(timer);
        resolve(true);
      },
    };
    return promise;
  }

  /** The run's totals so far. */
  totals(): LedgerTotals {
    const sent = this.#next;
    return {
      sent,
      delivered: this.#delivered,
      echoed: this.#echoed,
      lostDeliveries: sent - this.#delivered,
      lostEchoes: sent - this.#echoed,
      duplicates: this.#duplicates,
      strays: this.#strays,
      errors: { ...this.#errors },
      latency: this.#latency.summary(),
    };
  }

  /**
   * Every DM sent, one line each: its sequence number, when it was sent (Unix
   * time in milliseconds, so that it lines up with other processes' logs) and
   * its latency in milliseconds, empty when it never arrived. Needs
   * `keepTimeline`.
   */
  timelineCsv(): string {
    const deliveredAt = this.#deliveredAt;
    if (deliveredAt === null) throw new Error("This ledger keeps no timeline: construct it with keepTimeline");
    const lines = ["seq,sent_at_ms,latency_ms"];
    for (let slot = 0; slot < this.#next; slot++) {
      const sentAt = this.#sentAt[slot];
      const latency = Number.isNaN(deliveredAt[slot]) ? "" : (deliveredAt[slot] - sentAt).toFixed(3);
      lines.push(`${this.#first + slot},${(performance.timeOrigin + sentAt).toFixed(3)},${latency}`);
    }
    return lines.join("\n") + "\n";
  }

  #settle(seq: number): void {
    this.#settled++;
    if (this.#whenSettled !== undefined && this.#settled >= this.#whenSettled.count) {
      this.#whenSettled.resolve();
      this.#whenSettled = undefined;
    }
    this.onSettled(seq);
  }

  // Errors, pongs and the like are rare, so these frames may be parsed.
  #receiveOther(frame: string): void {
    let parsed: { type?: unknown; code?: unknown; id?: unknown };
    try {
      parsed = JSON.parse(frame);
    } catch {
      this.#strays++;
      return;
    }
    if (parsed.type !== "error") return;
    const code = String(parsed.code);
    this.#errors[code] = (this.#errors[code] ?? 0) + 1;
    const seq = typeof parsed.id === "string" && /^\d+$/.test(parsed.id) ? Number(parsed.id) : -1;
    const slot = seq - this.#first;
    if (seq < 0 || slot < 0 || slot >= this.#next) return;
    const state = this.#state[slot];
    if (state & REFUSED || (state & SETTLED) === SETTLED) return;
    // A refused DM settles so a closed loop keeps its window full.
    this.#state[slot] |= REFUSED;
    this.#settle(seq);
  }

  #grow(): void {
    const size = this.#state.length * 2;
    const sentAt = new Float64Array(size);
    sentAt.set(this.#sentAt);
    this.#sentAt = sentAt;
    const sender = new Int32Array(size);
    sender.set(this.#sender);
    this.#sender = sender;
    const state = new Uint8Array(size);
    state.set(this.#state);
    this.#state = state;
    if (this.#deliveredAt !== null) {
      const deliveredAt = new Float64Array(size).fill(NaN);
      deliveredAt.set(this.#deliveredAt);
      this.#deliveredAt = deliveredAt;
    }
  }
}
