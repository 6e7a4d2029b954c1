import { CloseCode, type ErrorCode } from "./protocol.ts";
import { log } from "./log.ts";
import type { Metrics } from "./metrics.ts";
import { TokenBucket } from "./rate_limit.ts";

/** What a socket is for. */
export const enum ConnectionKind {
  Chat,
  Presence,
}

/** How long a socket may stay over its backlog bound before it is dropped as a slow reader. */
export const SLOW_READER_GRACE_MS = 5000;

/** The tabs of a connection not attached to a user. */
const NO_TABS: ReadonlySet<Connection> = new Set();

/** Sends between two reads of a socket's backlog. */
const BACKLOG_CHECK_EVERY = 8;

/** Limits each connection enforces on its own. */
export interface ConnectionLimits {
  ratePerSec: number;
  rateBurst: number;
  sendBufferMaxBytes: number;
}

/**
 * One open WebSocket of an authenticated user, with its rate limit and its
 * backlog guard. Kept small: a server holds thousands.
 *
 * @example
 * ```ts
 * const connection = new Connection(socket, userId, ConnectionKind.Chat, limits);
 * connection.send(JSON.stringify(frame));
 * ```
 */
export class Connection {
  readonly socket: WebSocket;
  readonly userId: string;
  readonly kind: ConnectionKind;
  readonly bucket: TokenBucket;
  /** Presence sockets: send diffs after the first snapshot instead of the whole roster. */
  diff = false;
  /** Presence sockets: missed an update while backlogged, so the next one must be a snapshot. */
  stale = false;
  /** Presence sockets: the roster change this socket has seen up to. */
  seenSeq = 0;
  /**
   * Chat sockets, once attached: the chat sockets of the same user on this
   * instance, this one included, where a DM it sends is echoed.
   */
  tabs: ReadonlySet<Connection> = NO_TABS;
  #maxBuffered: number;
  /** Since when the backlog has been over its bound; 0 while it is not. */
  #backloggedSince = 0;
  #sends = 0;
  #onEnd: (() => void) | null = null;

  #metrics: Metrics;

  constructor(socket: WebSocket, userId: string, kind: ConnectionKind, limits: ConnectionLimits, metrics: Metrics) {
    this.socket = socket;
    this.#metrics = metrics;
    this.userId = userId;
    this.kind = kind;
    this.bucket = new TokenBucket(limits.ratePerSec, limits.rateBurst);
    this.#maxBuffered = limits.sendBufferMaxBytes;
  }

  /** Whether the peer is keeping up; a socket over its backlog bound is closed instead of growing memory. */
  get backlogged(): boolean {
    return this.socket.bufferedAmount > this.#maxBuffered / 2;
  }

  /**
   * Sends a text frame unless the socket is closed or its reader has fallen
   * too far behind: over the backlog bound for {@link SLOW_READER_GRACE_MS},
   * or over four times the bound at once. (A burst within one event-loop turn
   * can pass the bound briefly even for a fast reader: the buffered amount
   * only drops as writes complete.) The backlog is read every
   * {@link BACKLOG_CHECK_EVERY} sends, as reading it costs a call into the
   * runtime.
   */
  send(text: string): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    if (++this.#sends % BACKLOG_CHECK_EVERY === 0 && !this.#keepingUp()) {
      this.close(CloseCode.PolicyViolation, "SLOW_CONSUMER");
      return false;
    }
    this.socket.send(text);
    return true;
  }

  #keepingUp(): boolean {
    const buffered = this.socket.bufferedAmount;
    if (buffered <= this.#maxBuffered) {
      this.#backloggedSince = 0;
      return true;
    }
    const now = performance.now();
    if (this.#backloggedSince === 0) this.#backloggedSince = now;
    return buffered <= 4 * this.#maxBuffered && now - this.#backloggedSince <= SLOW_READER_GRACE_MS;
  }

  /** Sends an error frame; the socket stays open. */
  sendError(code: ErrorCode, detail: string, id?: string): void {
    this.#metrics.error(code);
    this.send(JSON.stringify(id === undefined ? { type: "error", code, detail } : { type: "error", code, detail, id }));
  }

  /** Sets what runs once when the connection ends, whichever side ends it. */
  onEnd(callback: () => void): void {
    this.#onEnd = callback;
  }

  /** Marks the connection as ended and runs its end callback, once. */
  ended(): void {
    const callback = this.#onEnd;
    this.#onEnd = null;
    callback?.();
  }

  /**
   * Closes an open socket with a code and a reason. The connection counts as
   * ended at once: a peer that stopped reading may never complete the closing
   * handshake, and nothing more is sent to it.
   */
  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN) {
      this.socket.close(code, reason);
      if (code !== CloseCode.GoingAway) {
        this.#metrics.socketsRefused++;
        log.info("connection.closed", { code, reason });
      }
    }
    this.ended();
  }
}
