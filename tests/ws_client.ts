/**
 * A WebSocket client for tests that waits for events instead of sleeping:
 * every frame is queued, and `next` resolves with the first frame that
 * matches, or rejects after a timeout naming what it waited for.
 */
export class TestSocket {
  readonly socket: WebSocket;
  readonly frames: Record<string, unknown>[] = [];
  /** Resolves once the socket opened, rejects if it failed to. */
  readonly opened: Promise<void>;
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters = new Set<() => void>();
  #cursor = 0;

  constructor(url: string | URL, headers?: HeadersInit) {
    // Deno accepts handshake headers here; the DOM typings, loaded for the islands, do not know it.
    this.socket = new WebSocket(url, (headers ? { headers } : undefined) as unknown as string[]);
    const opened = Promise.withResolvers<void>();
    const closed = Promise.withResolvers<{ code: number; reason: string }>();
    this.opened = opened.promise;
    this.closed = closed.promise;
    this.opened.catch(() => {});
    this.socket.onopen = () => opened.resolve();
    this.socket.onerror = () => opened.reject(new Error(`WebSocket to ${url} failed`));
    this.socket.onclose = (event) => {
      opened.reject(new Error(`WebSocket to ${url} closed before opening (${event.code})`));
      closed.resolve({ code: event.code, reason: event.reason });
      this.#wake();
    };
    this.socket.onmessage = (event) => {
      this.frames.push(JSON.parse(event.data));
      this.#wake();
    };
  }

  /** Sends a frame: objects as JSON, strings as they are. */
  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /**
   * The next frame (after those already taken) matching `predicate`; frames
   * skipped on the way are taken too.
   */
  async next<T = Record<string, unknown>>(
    predicate: (frame: Record<string, unknown>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      while (this.#cursor < this.frames.length) {
        const frame = this.frames[this.#cursor++];
        if (predicate(frame)) return frame as T;
      }
      if (this.socket.readyState === WebSocket.CLOSED) {
        throw new Error(`Socket closed while waiting for a frame matching ${predicate}`);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`No frame matching ${predicate} within ${timeoutMs} ms`);
      await this.#wait(remaining);
    }
  }

  /** Frames of a type received so far, taken or not. */
  all(type: string): Record<string, unknown>[] {
    return this.frames.filter((frame) => frame.type === type);
  }

  /** Closes the socket and waits until it is closed. */
  async close(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
    await this.closed;
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.add(done);
    });
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
