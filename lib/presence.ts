import type { Database } from "../db/database.ts";
import { identityName } from "../db/identities.ts";
import { remoteChatLocations, removeInstance, replaceConnections } from "../db/instances.ts";
import { listOnline, registerOnline, removeIdleAmong, removeOnline, upsertOnline } from "../db/roster.ts";
import type { PresenceTiming } from "../fresh.config.ts";
import type { Bus, ClusterEvent } from "./bus.ts";
import { type Connection, ConnectionKind } from "./connection.ts";
import { CloseCode } from "./protocol.ts";
import { CHANGE_MEMORY_MS, RecentChanges } from "./recent_changes.ts";
import { RemoteChat } from "./remote_chat.ts";
import { RosterFeed } from "./roster_feed.ts";
import { type LocalUser, newLocalUser, UserSync } from "./user_sync.ts";

/** Leaves per notification, keeping payloads far below PostgreSQL's 8,000 bytes. */
const LEAVES_PER_EVENT = 100;

/**
 * Who is online. The roster lives in `users_online`; this instance mirrors it
 * in memory (its {@link RosterFeed}) and keeps, per user, the sockets open
 * here. A user is online while any socket of theirs is open on any instance,
 * or within the grace period after the last one closed or after registering.
 *
 * Local changes reach the tables through a {@link UserSync}: one write at a
 * time per user, those of many users in one statement.
 *
 * @example
 * ```ts
 * await presence.register(userId, "Ada", null); // online at once; without a socket, leaves after the grace period
 * presence.attach(connection);                   // online while the socket is open
 * ```
 */
export class Presence {
  readonly feed = new RosterFeed();
  readonly instanceId: string;
  #db: Database;
  #bus: Bus;
  #users = new Map<string, LocalUser>();
  #writes: UserSync;
  #remoteChat = new RemoteChat();
  /** Who changed through an event lately, so a reconcile does not undo a newer event. */
  #changes = new RecentChanges();
  /** A database write failed: the tables may disagree with memory until the next resync. */
  needsResync = false;

  constructor(db: Database, bus: Bus, instanceId: string, timing: PresenceTiming) {
    this.#db = db;
    this.#bus = bus;
    this.instanceId = instanceId;
    this.#writes = new UserSync(db, instanceId, timing, {
      feed: this.feed,
      user: (userId) => this.#users.get(userId),
      forget: (userId) => this.#users.delete(userId),
      join: (userId, name) => this.#join(userId, name, true),
      leave: (userId) => this.leave([userId], true),
      chatChanged: (userId, chat) => this.#bus.publish({ t: "chat", u: userId, c: chat }),
      failed: () => this.needsResync = true,
    });
  }

  /**
   * Puts a user online at once (or renames them), binding their id if it is
   * free; `proven` is the binding whose token they showed. Without a socket
   * they leave after the grace period. Returns the id's binding, or `null`
   * when the id belongs to someone else.
   */
  async register(userId: string, name: string, proven: string | null): Promise<string | null> {
    const announce = this.#bus.announcement({ t: "join", u: userId, n: name }) ?? undefined;
    const registered = await registerOnline(this.#db, userId, name, proven, announce);
    if (registered === null) return null;
    // The other instances heard of it from the statement.
    this.#join(userId, name, false);
    const user = this.#local(userId);
    user.loggedOut = false;
    user.rechecked = false;
    if (user.chat.size + user.presence.size === 0) this.#writes.startGrace(userId, user);
    return registered.binding;
  }

  /** Takes a user offline at once and closes their sockets on every instance. */
  async logout(userId: string): Promise<void> {
    await removeOnline(this.#db, userId);
    this.#bus.publish({ t: "logout", u: userId });
    this.#loggedOut(userId);
  }

  /** How many sockets a user has open here. */
  socketCount(userId: string): number {
    const user = this.#users.get(userId);
    return user ? user.chat.size + user.presence.size : 0;
  }

  /** Counts an open socket; a presence socket starts following the roster. */
  attach(connection: Connection): void {
    const user = this.#local(connection.userId);
    user.loggedOut = false;
    user.rechecked = false;
    clearTimeout(user.grace);
    user.grace = undefined;
    if (connection.kind === ConnectionKind.Chat) {
      user.chat.add(connection);
      connection.tabs = user.chat;
    } else {
      user.presence.add(connection);
      this.feed.follow(connection);
    }
    this.#writes.sync(connection.userId);
  }

  /** Forgets a closed socket; after the last one the grace period starts. */
  detach(connection: Connection): void {
    const user = this.#users.get(connection.userId);
    if (!user) return;
    if (connection.kind === ConnectionKind.Chat) user.chat.delete(connection);
    else if (user.presence.delete(connection)) this.feed.unfollow(connection);
    if (this.#writes.stopping) return;
    if (user.chat.size + user.presence.size === 0) this.#writes.startGrace(connection.userId, user);
    else this.#writes.sync(connection.userId);
  }

  /** The user's chat sockets on this instance. */
  chatSockets(userId: string): ReadonlySet<Connection> | undefined {
    return this.#users.get(userId)?.chat;
  }

  /** The other instances where the user has a chat socket. */
  remoteChatInstances(userId: string): ReadonlySet<string> | undefined {
    return this.#remoteChat.instancesOf(userId);
  }

  /** How many chat and presence sockets are open on this instance. */
  socketCounts(): { chat: number; presence: number } {
    let chat = 0;
    let presence = 0;
    for (const user of this.#users.values()) {
      chat += user.chat.size;
      presence += user.presence.size;
    }
    return { chat, presence };
  }

  /** Every open socket on this instance. */
  *connections(): Generator<Connection> {
    for (const user of this.#users.values()) {
      yield* user.chat;
      yield* user.presence;
    }
  }

  /** Applies a presence change announced by another instance. */
  applyClusterEvent(event: ClusterEvent, from: string): void {
    switch (event.t) {
      case "join":
        this.#join(event.u, event.n, false);
        break;
      case "leave":
        this.leave(event.u, false);
        break;
      case "logout":
        this.#loggedOut(event.u);
        break;
      case "chat":
        this.#remoteChat.set(event.u, from, event.c);
        break;
      case "gone":
        for (const instanceId of event.i) this.#remoteChat.forgetInstance(instanceId);
        break;
    }
  }

  /** Takes users out of the roster (they left the database already) and, if `announce`, tells the others. */
  leave(userIds: string[], announce: boolean): void {
    const left: string[] = [];
    for (const userId of userIds) {
      const user = this.#users.get(userId);
      if (user && user.chat.size + user.presence.size > 0) {
        // Still connected here: the row went away underneath us, so write it back.
        user.recorded = null;
        this.#writes.sync(userId);
        continue;
      }
      this.#changes.touch(userId);
      if (this.feed.delete(userId)) left.push(userId);
    }
    if (announce) {
      for (let i = 0; i < left.length; i += LEAVES_PER_EVENT) {
        this.#bus.publish({ t: "leave", u: left.slice(i, i + LEAVES_PER_EVENT) });
      }
    }
  }

  /** Drops the chat sockets of instances that died. */
  forgetInstances(instanceIds: string[]): void {
    for (const instanceId of instanceIds) this.#remoteChat.forgetInstance(instanceId);
    if (instanceIds.length > 0) this.#bus.publish({ t: "gone", i: instanceIds });
  }

  /**
   * Rewrites this instance's connections from memory and re-reads the roster
   * and the chat locations, after the database or the listener lost track.
   */
  async resync(): Promise<void> {
    this.needsResync = false;
    const local = [...this.#users].filter(([, user]) => user.recorded !== null || user.chat.size > 0)
      .map(([userId, user]) => ({ userId, chat: user.chat.size > 0 }));
    await replaceConnections(this.#db, this.instanceId, local);
    for (const { userId, chat } of local) {
      const user = this.#users.get(userId)!;
      user.recorded = { chat };
      const name = this.feed.name(userId) ?? await identityName(this.#db, userId) ?? "Anonymous";
      if (await upsertOnline(this.#db, userId, name)) this.#join(userId, name, true);
    }
    await this.reconcile();
  }

  /** Re-reads the roster and chat locations from the tables; events newer than the read win. */
  async reconcile(): Promise<void> {
    const startedAt = Date.now();
    const [online, chat] = await Promise.all([
      listOnline(this.#db),
      this.#bus.enabled ? remoteChatLocations(this.#db, this.instanceId) : Promise.resolve([]),
    ]);
    if (Date.now() - startedAt > CHANGE_MEMORY_MS - 1000) {
      // Read so long ago that changes since may be forgotten, and the rows would undo them: read again.
      this.needsResync = true;
      return;
    }
    const fresh = (userId: string) => this.#changes.since(userId, startedAt - 1000);
    const seen = new Set<string>();
    for (const { user_id, name } of online) {
      seen.add(user_id);
      if (!fresh(user_id)) this.feed.set(user_id, name);
    }
    const gone = [...this.feed.userIds()].filter((userId) => !seen.has(userId) && !fresh(userId));
    this.leave(gone, false);
    if (this.#bus.enabled) {
      this.#remoteChat.replace(chat);
    }
  }

  /** Closes every socket with 1001, removes this instance and announces the leaves. */
  async stop(): Promise<void> {
    this.#writes.stopping = true;
    this.feed.close();
    const userIds = [...this.#users.keys()];
    for (const connection of this.connections()) connection.close(CloseCode.GoingAway, "SERVER_SHUTDOWN");
    for (const user of this.#users.values()) clearTimeout(user.grace);
    this.#users.clear();
    await this.#writes.drain();
    await removeInstance(this.#db, this.instanceId);
    this.leave(await removeIdleAmong(this.#db, userIds), true);
  }

  #local(userId: string): LocalUser {
    let user = this.#users.get(userId);
    if (!user) {
      user = newLocalUser();
      this.#users.set(userId, user);
    }
    return user;
  }

  #join(userId: string, name: string, announce: boolean): void {
    this.#changes.touch(userId);
    if (this.feed.set(userId, name) && announce) this.#bus.publish({ t: "join", u: userId, n: name });
  }

  #loggedOut(userId: string): void {
    const user = this.#users.get(userId);
    if (user) {
      // Forgotten now, not as each close arrives: a sync between two closes would see a socket left and
      // put the user back online.
      const sockets = [...user.chat, ...user.presence];
      for (const connection of user.presence) this.feed.unfollow(connection);
      user.chat.clear();
      user.presence.clear();
      clearTimeout(user.grace);
      user.grace = undefined;
      user.loggedOut = true;
      for (const connection of sockets) connection.close(CloseCode.PolicyViolation, "LOGGED_OUT");
      this.#writes.sync(userId);
    }
    this.#changes.touch(userId);
    this.feed.delete(userId);
  }
}
