/**
 * A WebSocket that comes back: after any close but a deliberate refusal it
 * reconnects with exponential backoff and full jitter, running `prepare`
 * (registration) before every attempt; it pings to keep idle connections
 * alive and to notice dead ones.
 *
 * @example
 * ```ts
 * const chat = new ReconnectingSocket({
 *   url: () => `/ws/chat?me=${me}`,
 *   prepare: () => ensureRegistered(),
 *   onFrame: (frame) => handle(frame),
 *   onStatus: (status) => (chatStatus.value = status),
 *   onStop: (why) => (stopped.value = why),
 * });
 * chat.start();
 * ```
 *
 * @module
 */
import { backoffDelay, type BackoffOptions, DEFAULT_BACKOFF } from "./backoff.ts";
import { type CloseAction, closeAction } from "./close_policy.ts";

/** Where a socket stands. */
export type SocketStatus =
  /** Not started yet. */
  | "idle"
  /** Registering or opening. */
  | "connecting"
  | "open"
  /** Closed; an attempt is scheduled. */
  | "waiting"
  /** Stopped, by {@link ReconnectingSocket.stop} or a refusal; only `start` brings it back. */
  | "stopped";

/** What `prepare` throws when the server named the time to try again, which the next attempt keeps to. */
export class RetryLater extends Error {
  readonly afterMs: number;

  constructor(afterMs: number, message = `Try again in ${afterMs} ms`) {
    super(message);
    this.name = "RetryLater";
    this.afterMs = afterMs;
  }
}

/** Why a socket stopped on its own. */
export type StopReason = Exclude<CloseAction, "reconnect">;

/** Options of {@link ReconnectingSocket}. */
export interface ReconnectingSocketOptions {
  /** The URL to open, relative to the page or absolute; asked anew on every attempt. */
  url(): string;
  /** Runs before every attempt; a rejection counts as a failed attempt. */
  prepare(): Promise<void>;
  /** A frame arrived, parsed from JSON. */
  onFrame(frame: unknown): void;
  /** The socket opened. */
  onOpen?(): void;
  onStatus(status: SocketStatus): void;
  /** The server refused the socket in a way that reconnecting cannot fix. */
  onStop(reason: StopReason): void;
  backoff?: BackoffOptions;
  /** How often to ping an open socket. */
  pingEveryMs?: number;
  /** How long an open socket may stay silent before it counts as dead. */
  silenceMs?: number;
  /** How long a socket must stay open before the backoff starts over. */
  stableMs?: number;
  /**
   * How long an attempt's socket may take to open before it is given up for
   * the next: after a change of network a handshake can hang for minutes
   * before the system reports it failed.
   */
  openTimeoutMs?: number;
}

const CLOSE_NORMAL = 1000;

/** A WebSocket that reconnects by itself. */
export class ReconnectingSocket {
  #options: ReconnectingSocketOptions;
  #status: SocketStatus = "idle";
  #socket: WebSocket | null = null;
  #attempt = 0;
  /** Bumped by every start and stop, so a stale attempt can tell it is stale. */
  #generation = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #stable: ReturnType<typeof setTimeout> | undefined;
  #ping: ReturnType<typeof setInterval> | undefined;
  #opening: ReturnType<typeof setTimeout> | undefined;
  #lastFrameAt = 0;

  constructor(options: ReconnectingSocketOptions) {
    this.#options = options;
  }

  /** Where the socket stands. */
  get status(): SocketStatus {
    return this.#status;
  }

  /** Connects, unless already connecting or connected. */
  start(): void {
    if (this.#status !== "idle" && this.#status !== "stopped") return;
    this.#attempt = 0;
    this.#connect(++this.#generation);
  }

  /** Closes the socket for good (until `start`). */
  stop(): void {
    this.#generation++;
    this.#teardown(CLOSE_NORMAL);
    this.#setStatus("stopped");
  }

  /** Closes and opens again, as after a change of identity. */
  restart(): void {
    this.stop();
    this.start();
  }

  /**
   * Tries again at once (the network came back, the tab became visible, the
   * user asked): skips the wait of a scheduled reconnect, or gives up the
   * attempt under way, which may hang on the network that went away.
   */
  retryNow(): void {
    if (this.#status !== "waiting" && this.#status !== "connecting") return;
    this.#teardown(CLOSE_NORMAL);
    this.#connect(++this.#generation);
  }

  /** Sends a frame as JSON if the socket is open; says whether it did. */
  send(frame: unknown): boolean {
    if (this.#status !== "open" || this.#socket === null) return false;
    this.#socket.send(JSON.stringify(frame));
    return true;
  }

  async #connect(generation: number): Promise<void> {
    this.#setStatus("connecting");
    try {
      await this.#options.prepare();
    } catch (error) {
      if (generation === this.#generation) this.#scheduleRetry(error instanceof RetryLater ? error.afterMs : undefined);
      return;
    }
    if (generation !== this.#generation) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(new URL(this.#options.url(), globalThis.location?.href).href.replace(/^http/, "ws"));
    } catch {
      this.#scheduleRetry();
      return;
    }
    this.#socket = socket;
    this.#opening = setTimeout(() => {
      if (socket !== this.#socket) return;
      this.#teardown(CLOSE_NORMAL);
      this.#scheduleRetry();
    }, this.#options.openTimeoutMs ?? 10_000);
    socket.onopen = () => this.#opened(socket);
    socket.onmessage = (event) => this.#received(event.data);
    socket.onclose = (event) => {
      if (socket === this.#socket) this.#closed(event.code, event.reason);
    };
  }

  #opened(socket: WebSocket): void {
    if (socket !== this.#socket) return;
    clearTimeout(this.#opening);
    this.#lastFrameAt = Date.now();
    this.#setStatus("open");
    const { stableMs = 5000, pingEveryMs = 20_000, silenceMs = 50_000 } = this.#options;
    this.#stable = setTimeout(() => (this.#attempt = 0), stableMs);
    this.#ping = setInterval(() => {
      if (Date.now() - this.#lastFrameAt <= silenceMs) {
        this.send({ type: "ping" });
        return;
      }
      // A dead connection may take minutes to report its close: give up on it now.
      this.#teardown(CLOSE_NORMAL);
      this.#scheduleRetry();
    }, pingEveryMs);
    this.#options.onOpen?.();
  }

  #received(data: unknown): void {
    this.#lastFrameAt = Date.now();
    if (typeof data !== "string") return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    this.#options.onFrame(frame);
  }

  #closed(code: number, reason: string): void {
    this.#teardown();
    const action = closeAction(code, reason);
    if (action === "reconnect") {
      this.#scheduleRetry();
    } else {
      this.#generation++;
      this.#setStatus("stopped");
      this.#options.onStop(action);
    }
  }

  /** Schedules the next attempt: after `afterMs` if the server named a time (spread over a second), else backoff. */
  #scheduleRetry(afterMs?: number): void {
    this.#setStatus("waiting");
    const generation = ++this.#generation;
    const backoff = backoffDelay(this.#attempt++, this.#options.backoff ?? DEFAULT_BACKOFF);
    const delay = afterMs === undefined ? backoff : afterMs + Math.floor(Math.random() * 1000);
    this.#retry = setTimeout(() => this.#connect(generation), delay);
  }

  /** Forgets the current socket (closing it with `code` if given and still open) and its timers. */
  #teardown(code?: number): void {
    clearTimeout(this.#retry);
    clearTimeout(this.#stable);
    clearTimeout(this.#opening);
    clearInterval(this.#ping);
    const socket = this.#socket;
    this.#socket = null;
    if (socket === null) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    if (code !== undefined && socket.readyState <= WebSocket.OPEN) socket.close(code);
  }

  #setStatus(status: SocketStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#options.onStatus(status);
  }
}
