/**
 * N connected users, each with a chat socket and a presence socket, paired
 * for DMs as (0, 1), (2, 3), …. The DM scenarios share one pool, so users
 * connect once per server and every run drives the same sockets.
 *
 * @example
 * ```ts
 * const pool = await UserPool.connect({ count: 200, serverFor: () => server.url, concurrency: 32 });
 * const ledger = new DmLedger(pool.dmsSent);
 * pool.onChat = (user, frame) => ledger.receive(user, frame);
 * pool.sendDm(0, ledger.sent(0, performance.now()));
 * ```
 *
 * @module
 */
import { chatUrl, forEachLimited, openSocket, presenceUrl, register } from "./clients.ts";
import { Samples, type Summary } from "./stats.ts";

/** The text of every benchmark DM: a short chat line, JSON-safe as is. */
export const DM_TEXT = "bench: the quick brown fox jumps over the lazy dog";

/** How to connect a pool. */
export interface PoolOptions {
  /** Number of users; rounded up to an even number so everyone has a peer. */
  count: number;
  /** The server user `i` connects to (two instances in the cross-instance run). */
  serverFor: (user: number) => URL;
  /** Users connecting at the same time. */
  concurrency: number;
}

/** How long connecting took. */
export interface ConnectTimes {
  users: number;
  /** Register plus both sockets open, per user, in milliseconds. */
  perUser: Summary;
  /** Wall-clock time to connect everyone, in milliseconds. */
  totalMs: number;
}

interface User {
  chat: WebSocket;
  presence: WebSocket;
  /** The start of a `dm` frame to this user's peer, up to the id's digits. */
  dmPrefix: string;
}

/** A set of connected users. */
export class UserPool {
  /** Called for every frame on a user's chat socket; scenarios swap it in and out. */
  onChat: (user: number, frame: string) => void = () => {};
  /** Frames received on every socket, for detecting a quiet period. */
  framesReceived = 0;
  /** DMs sent on this pool's sockets: the first free sequence number for a new run. */
  dmsSent = 0;
  /** Sockets the server closed, by close code. */
  readonly closes: Record<string, number> = {};
  /** How long connecting took; set once everyone is connected. */
  connectTimes: ConnectTimes = { users: 0, perUser: new Samples().summary(), totalMs: 0 };
  #users: User[] = [];

  private constructor() {}

  /** Registers and connects `count` users; rejects on the first failure. */
  static async connect(options: PoolOptions): Promise<UserPool> {
    const pool = new UserPool();
    const count = options.count + (options.count % 2);
    const ids = Array.from({ length: count }, () => crypto.randomUUID());
    const perUser = new Samples(count);
    const started = performance.now();
    try {
      await forEachLimited(count, options.concurrency, async (i) => {
        const userStarted = performance.now();
        const base = options.serverFor(i);
        const token = await register(base, ids[i], benchName(i));
        // Presence frames are only counted, for quiet detection; the DM scenarios read the chat frames.
        const [chat, presence] = await Promise.all([
          openSocket(chatUrl(base, ids[i], token), (frame) => pool.#chatFrame(i, frame)),
          openSocket(presenceUrl(base, ids[i], token, "diff"), () => pool.framesReceived++),
        ]);
        perUser.add(performance.now() - userStarted);
        chat.onclose = presence.onclose = (event) => pool.#closed(event.code);
        const dmPrefix = `{"type":"dm","to":"${ids[i ^ 1]}","text":"${DM_TEXT}","id":"`;
        pool.#users[i] = { chat, presence, dmPrefix };
      });
    } catch (error) {
      await pool.close();
      throw error;
    }
    pool.connectTimes = { users: count, perUser: perUser.summary(), totalMs: performance.now() - started };
    return pool;
  }

  /** Number of users. */
  get size(): number {
    return this.#users.length;
  }

  /** Number of open WebSockets (two per user). */
  get socketCount(): number {
    return this.#users.length * 2;
  }

  /** Sends a DM with sequence number `seq` from `user` to its peer (`user ^ 1`). */
  sendDm(user: number, seq: number): void {
    const sender = this.#users[user];
    this.dmsSent++;
    sender.chat.send(sender.dmPrefix + seq + '"}');
  }

  /** Closes every socket and resolves once they are closed (or after 10 s). */
  async close(): Promise<void> {
    const closed: Promise<unknown>[] = [];
    for (const user of this.#users) {
      if (user === undefined) continue;
      for (const socket of [user.chat, user.presence]) {
        if (socket.readyState === WebSocket.CLOSED) continue;
        const { promise, resolve } = Promise.withResolvers<void>();
        socket.onclose = () => resolve();
        socket.close();
        closed.push(promise);
      }
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise((resolve) => timer = setTimeout(resolve, 10_000));
    await Promise.race([Promise.all(closed), deadline]);
    clearTimeout(timer);
  }

  #chatFrame(user: number, frame: string): void {
    this.framesReceived++;
    this.onChat(user, frame);
  }

  #closed(code: number): void {
    this.closes[code] = (this.closes[code] ?? 0) + 1;
  }
}

function benchName(i: number): string {
  return `Bench${i}`;
}
