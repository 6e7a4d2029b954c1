/**
 * A Quick Chat client without a browser, for tests that need hundreds of
 * them: it registers as the page does (lib/client/register.ts, with a cookie
 * jar standing in for the browser's) and keeps a presence socket (diff mode)
 * and a chat socket open with the page's own {@link ReconnectingSocket}, so it
 * reconnects with the same backoff and jitter as a browser tab.
 *
 * @example
 * ```ts
 * const client = new HeadlessClient(server.url, "Ada");
 * client.start();
 * await client.until("both sockets open", () => client.online);
 * ```
 */
import { createIdentity, type Identity } from "../lib/client/identity.ts";
import { register, type RegisterOutcome } from "../lib/client/register.ts";
import { applyPresence, type Roster } from "../lib/client/roster.ts";
import { ReconnectingSocket, type StopReason } from "../lib/client/socket.ts";
import { TOKEN_COOKIE } from "../lib/identity.ts";
import type { PresenceServerFrame } from "../lib/protocol.ts";

/** A browser-like client of one server; see the module's description. */
export class HeadlessClient {
  readonly identity: Identity;
  readonly presence: ReconnectingSocket;
  readonly chat: ReconnectingSocket;
  /** When each socket last opened, on the `performance.now()` clock; 0: never. */
  readonly openedAt = { presence: 0, chat: 0 };
  /** Who is online, as the presence socket told. */
  roster: Roster = new Map();
  /** Every frame the chat socket received. */
  readonly chatFrames: Record<string, unknown>[] = [];
  /** How each registration went, oldest first: one per attempt to (re)connect, shared by the two sockets. */
  readonly registrations: RegisterOutcome[] = [];
  /** When each registration attempt started, on the `performance.now()` clock: the requests the server saw coming. */
  readonly attemptsAt: number[] = [];
  /** Why a socket gave up, if one did. */
  readonly stops: StopReason[] = [];
  #base: URL;
  /** The token cookie, as the browser's jar would keep it. */
  #token = "";
  #registration: Promise<void> | null = null;
  #listeners = new Set<() => void>();

  constructor(base: URL, name: string) {
    this.#base = base;
    this.identity = createIdentity(name);
    const userId = encodeURIComponent(this.identity.user_id);
    this.presence = new ReconnectingSocket({
      url: () => this.#socketUrl(`/presence/ws?user_id=${userId}&mode=diff`),
      prepare: () => this.#ensureRegistered(),
      onFrame: (frame) => {
        this.roster = applyPresence(this.roster, frame as PresenceServerFrame);
        this.#changed();
      },
      onOpen: () => this.#opened("presence"),
      onStatus: () => this.#changed(),
      onStop: (reason) => this.stops.push(reason),
    });
    this.chat = new ReconnectingSocket({
      url: () => this.#socketUrl(`/ws/chat?me=${userId}`),
      prepare: () => this.#ensureRegistered(),
      onFrame: (frame) => {
        this.chatFrames.push(frame as Record<string, unknown>);
        this.#changed();
      },
      onOpen: () => this.#opened("chat"),
      onStatus: () => this.#changed(),
      onStop: (reason) => this.stops.push(reason),
    });
  }

  /** Whether both sockets are open. */
  get online(): boolean {
    return this.presence.status === "open" && this.chat.status === "open";
  }

  /** Connects both sockets, as the page does on load. */
  start(): void {
    this.presence.start();
    this.chat.start();
  }

  /** Closes both sockets for good, as closing the tab does. */
  stop(): void {
    this.presence.stop();
    this.chat.stop();
  }

  /** Waits until `condition` holds, checking it whenever a socket opens, changes status or receives a frame. */
  until(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.#listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`${this.identity.name} did not reach "${what}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#listeners.add(check);
    });
  }

  /** Registers before a socket (re)connects; sockets connecting together share one registration, as in the page. */
  #ensureRegistered(): Promise<void> {
    if (this.#registration === null) this.attemptsAt.push(performance.now());
    this.#registration ??= register(this.identity, { fetcher: this.#fetch }).then((outcome) => {
      this.registrations.push(outcome);
      if (outcome.kind !== "ok") throw new Error(`Registration failed: ${outcome.kind}`);
    }).finally(() => (this.#registration = null));
    return this.#registration;
  }

  /** `fetch` as the page sees it: paths resolve against the server, and the token cookie goes along. */
  #fetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (this.#token !== "") headers.set("cookie", `${TOKEN_COOKIE}=${this.#token}`);
    const response = await fetch(new URL(String(input), this.#base), { ...init, headers });
    const cookie = response.headers.get("set-cookie")?.match(new RegExp(`^${TOKEN_COOKIE}=([^;]*)`));
    if (cookie) this.#token = cookie[1];
    return response;
  };

  /**
   * An absolute socket URL. A browser sends the token cookie with the
   * handshake; Deno's WebSocket sends no cookies, so the token goes in the
   * query, which the server accepts as well.
   */
  #socketUrl(path: string): string {
    return new URL(`${path}&token=${encodeURIComponent(this.#token)}`, this.#base).href;
  }

  #opened(socket: "presence" | "chat"): void {
    this.openedAt[socket] = performance.now();
    this.#changed();
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
