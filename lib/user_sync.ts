import type { Database } from "../db/database.ts";
import { identityName } from "../db/identities.ts";
import { connectAll, type ConnectedUser, disconnectAll } from "../db/instances.ts";
import { removeOnline } from "../db/roster.ts";
import type { PresenceTiming } from "../fresh.config.ts";
import { Batcher } from "./batcher.ts";
import type { Connection } from "./connection.ts";
import { log } from "./log.ts";
import type { RosterFeed } from "./roster_feed.ts";

/** A user with sockets on this instance, or within the grace period after them. */
export interface LocalUser {
  chat: Set<Connection>;
  presence: Set<Connection>;
  /** Pending grace timer: the user stays online until it fires. */
  grace: ReturnType<typeof setTimeout> | undefined;
  /** What `connections` holds for the user on this instance; `null`: no row. */
  recorded: { chat: boolean } | null;
  /**
   * What the other instances were last told: whether the user has a chat
   * socket here. It goes false as the last socket closes, before the grace
   * period ends and the row goes, so that no DM is routed here meanwhile.
   */
  announcedChat: boolean;
  syncing: boolean;
  /** The local state changed while a sync was writing. */
  dirty: boolean;
  /** Logged out since its last socket or register here: its row must go, whatever a write in flight put back. */
  loggedOut: boolean;
  /** The last disconnect kept the row (too recent, or sockets elsewhere) and one more look was scheduled. */
  rechecked: boolean;
}

/** A user known here with nothing open yet. */
export function newLocalUser(): LocalUser {
  return {
    chat: new Set(),
    presence: new Set(),
    grace: undefined,
    recorded: null,
    announcedChat: false,
    syncing: false,
    dirty: false,
    loggedOut: false,
    rechecked: false,
  };
}

/** What the sync loop needs from the presence it writes for. */
export interface SyncHost {
  readonly feed: RosterFeed;
  /** The user's local state, while this instance knows them. */
  user(userId: string): LocalUser | undefined;
  /** Forgets a user who has nothing open here and no row left. */
  forget(userId: string): void;
  /** Puts a user in the roster and tells the other instances. */
  join(userId: string, name: string): void;
  /** Takes a user out of the roster and tells the other instances. */
  leave(userId: string): void;
  /** Tells the other instances whether the user has a chat socket here. */
  chatChanged(userId: string, chat: boolean): void;
  /** A write failed: the tables may disagree with memory until the next resync. */
  failed(): void;
}

/**
 * How long socket changes wait to share one statement with others: a storm of
 * joins costs a statement per window instead of one per socket.
 */
const WRITE_WINDOW_MS = 5;

/**
 * Writes each local user's state to the tables: one loop per user, which
 * writes the latest state and repeats when it moved meanwhile, so writes for
 * one user never race each other; the writes of all users within a few
 * milliseconds share one statement.
 *
 * @example
 * ```ts
 * const writes = new UserSync(db, instanceId, timing, host);
 * user.chat.add(connection);
 * writes.sync(userId); // records the connection and puts the user online
 * ```
 */
export class UserSync {
  /** Set on shutdown: loops finish the write in hand and stop. */
  stopping = false;
  #db: Database;
  #timing: PresenceTiming;
  #host: SyncHost;
  #connects: Batcher<ConnectedUser, boolean>;
  #disconnects: Batcher<string, boolean>;

  constructor(db: Database, instanceId: string, timing: PresenceTiming, host: SyncHost) {
    this.#db = db;
    this.#timing = timing;
    this.#host = host;
    this.#connects = new Batcher(async (users) => {
      const joined = await connectAll(db, instanceId, users);
      return users.map((user) => joined.has(user.userId));
    }, WRITE_WINDOW_MS);
    this.#disconnects = new Batcher(async (userIds) => {
      const left = new Set(await disconnectAll(db, instanceId, userIds, timing.graceMs));
      return userIds.map((userId) => left.has(userId));
    }, WRITE_WINDOW_MS);
  }

  /**
   * Keeps a user online for the grace period, then writes what is left. With
   * no socket here, DMs to them cannot be delivered here: the other instances
   * hear so at once, and answer `PEER_OFFLINE` as this one does.
   */
  startGrace(userId: string, user: LocalUser): void {
    this.#announceChat(userId, user, false);
    clearTimeout(user.grace);
    // A little past the grace period, so the database agrees it has passed.
    user.grace = setTimeout(() => {
      user.grace = undefined;
      this.sync(userId);
    }, this.#timing.graceMs + 50);
  }

  /** Writes a user's local state to the database, one write at a time. */
  async sync(userId: string): Promise<void> {
    const user = this.#host.user(userId);
    if (!user) return;
    if (user.syncing) {
      user.dirty = true;
      return;
    }
    user.syncing = true;
    try {
      do {
        user.dirty = false;
        await this.#syncOnce(userId, user);
      } while (user.dirty && !this.stopping);
    } catch (error) {
      this.#host.failed();
      log.warn("presence.sync_failed", { error: String(error) });
    } finally {
      user.syncing = false;
    }
  }

  /** Waits for the writes already gathered, so that none lands after the instance is gone. */
  async drain(): Promise<void> {
    await Promise.allSettled([this.#connects.drain(), this.#disconnects.drain()]);
  }

  async #syncOnce(userId: string, user: LocalUser): Promise<void> {
    const feed = this.#host.feed;
    const chat = user.chat.size > 0;
    if (user.chat.size + user.presence.size > 0) {
      // Connected here but unknown to the tables, or missing from the roster (after a logout,
      // say): record the connection and put the user back online.
      if (user.recorded === null || user.recorded.chat !== chat || !feed.has(userId)) {
        const name = feed.name(userId) ?? await identityName(this.#db, userId) ?? "Anonymous";
        const joined = await this.#connects.add({ userId, chat, name });
        user.recorded = { chat };
        // Sockets gone meanwhile (a logout): the next round records that instead.
        if (user.chat.size + user.presence.size === 0) {
          user.dirty = true;
          return;
        }
        if (joined || !feed.has(userId)) this.#host.join(userId, name);
      }
      // A chat socket back within the grace period needs no write, but the others were told it went.
      this.#announceChat(userId, user, chat);
      return;
    }
    if (user.grace !== undefined) return;
    const left = await this.#disconnects.add(userId);
    // A connect in flight at the logout may have written the row back.
    if (user.loggedOut) await removeOnline(this.#db, userId);
    this.#announceChat(userId, user, false);
    user.recorded = null;
    if (user.chat.size + user.presence.size > 0 || user.grace !== undefined) {
      user.dirty = true;
      return;
    }
    if (!left && !user.rechecked) {
      // A connect that landed late may have refreshed the row within the grace period: look once more after it.
      user.rechecked = true;
      this.startGrace(userId, user);
      return;
    }
    this.#host.forget(userId);
    if (left) this.#host.leave(userId);
  }

  #announceChat(userId: string, user: LocalUser, chat: boolean): void {
    if (user.announcedChat === chat) return;
    user.announcedChat = chat;
    this.#host.chatChanged(userId, chat);
  }
}
