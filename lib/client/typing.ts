/**
 * Tells a peer that I am typing without flooding the socket (the server
 * allows 20 frames a second): at most one `start` every few seconds while I
 * keep typing, and one `stop` once I pause or send.
 *
 * @example
 * ```ts
 * const typing = new TypingSignal((peerId, state) => socket.send({ type: "typing", to: peerId, state }));
 * textarea.oninput = () => typing.input(peerId);
 * ```
 *
 * @module
 */

/** Timing of typing events. */
export interface TypingTiming {
  /** Least time between two `start`s to one peer while typing goes on. */
  startEveryMs: number;
  /** Pause after which a `stop` is sent. */
  idleMs: number;
}

/** One `start` per 3 s at most, `stop` after 2.5 s without a keystroke. */
export const TYPING_TIMING: TypingTiming = { startEveryMs: 3000, idleMs: 2500 };

/** How long a peer's `start` is shown without a refresh: longer than they send them, in case a `stop` is lost. */
export const PEER_TYPING_SHOWN_MS = 6000;

/** Sends typing events for the one conversation being typed in. */
export class TypingSignal {
  #send: (peerId: string, state: "start" | "stop") => void;
  #timing: TypingTiming;
  #now: () => number;
  #peerId: string | null = null;
  #startedAt = -Infinity;
  #idle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    send: (peerId: string, state: "start" | "stop") => void,
    timing: TypingTiming = TYPING_TIMING,
    now: () => number = Date.now,
  ) {
    this.#send = send;
    this.#timing = timing;
    this.#now = now;
  }

  /** A keystroke in the conversation with `peerId`. */
  input(peerId: string): void {
    if (this.#peerId !== null && this.#peerId !== peerId) this.stop();
    const now = this.#now();
    if (this.#peerId === null || now - this.#startedAt >= this.#timing.startEveryMs) {
      this.#peerId = peerId;
      this.#startedAt = now;
      this.#send(peerId, "start");
    }
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.stop(), this.#timing.idleMs);
  }

  /** Typing ended (a pause, a send, an emptied box, another conversation); sends `stop` if a `start` went out. */
  stop(): void {
    clearTimeout(this.#idle);
    this.#idle = undefined;
    if (this.#peerId === null) return;
    const peerId = this.#peerId;
    this.#peerId = null;
    this.#startedAt = -Infinity;
    this.#send(peerId, "stop");
  }

  /** Forgets the current typing without telling anyone, for when the message itself ends it. */
  reset(): void {
    clearTimeout(this.#idle);
    this.#idle = undefined;
    this.#peerId = null;
    this.#startedAt = -Infinity;
  }
}
