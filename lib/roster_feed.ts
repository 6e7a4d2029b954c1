import type { Connection } from "./connection.ts";
import type { RosterEntry } from "./protocol.ts";

/** How often, at most, a presence socket hears of roster changes. */
export const FLUSH_INTERVAL_MS = 100;
/** Followers per flush interval of delay: a busy server sends fewer, larger diffs. */
const FOLLOWERS_PER_INTERVAL = 250;
/** Followers served per turn of the event loop during a flush. */
const FLUSH_SLICE = 256;
/** The longest a roster change waits before it is sent. */
const MAX_FLUSH_INTERVAL_MS = 1000;
/** A pause in changes this long lets a crowded feed flush half an interval after the last flush. */
const QUIET_MS = 50;
/**
 * Users per roster frame in diff mode, snapshots and diffs alike. A socket
 * keeps write buffers as large as the largest frame it sent, so bounded frames
 * keep a big roster or a join storm from costing every presence socket that
 * size in memory.
 */
export const ROSTER_CHUNK = 50;

/**
 * The roster as this instance knows it, and the presence sockets that follow
 * it. Changes are coalesced into flushes, serialized once for all sockets,
 * so a join storm of N users costs O(N) frames per flush instead of O(N²)
 * immediate ones. Flushes are an interval apart while changes keep coming;
 * the interval grows with the number of followers (100 ms per 250, up to a
 * second), so a crowded server sends fewer, larger diffs. A change a whole
 * interval after the last flush goes out at once, and once changes pause for
 * {@link QUIET_MS} a crowded feed waits only half its interval: a lone join
 * on a busy server is not held back for a second, and flushes are never
 * closer than half an interval, nor than {@link FLUSH_INTERVAL_MS}. A socket
 * that falls behind skips diffs and gets a full snapshot once it has drained.
 *
 * In diff mode a large roster goes out as a `presence` frame with the first
 * {@link ROSTER_CHUNK} users and `presence_diff` joins with the rest, right
 * after, and a large diff as several. The snapshot is kept as JSON chunks and, while users only join,
 * extended rather than rebuilt: each new follower costs a copy of the roster,
 * not a serialization of it.
 *
 * @example
 * ```ts
 * const feed = new RosterFeed();
 * feed.follow(connection); // sends the snapshot
 * feed.set(userId, "Ada"); // the followers hear of it at once, the next change within the interval
 * ```
 */
export class RosterFeed {
  /** Each user's name and their roster entry as JSON. */
  #roster = new Map<string, { name: string; json: string }>();
  /** Users changed since the last flush, oldest change first: their name now (`null`: left) and when. */
  #pending = new Map<string, { name: string | null; seq: number }>();
  /** Counts changes, so a socket that followed mid-interval gets only what its snapshot lacks. */
  #seq = 0;
  #followers = new Set<Connection>();
  /** The roster's entries as JSON in comma-separated chunks; `null` once a leave or rename made them stale. */
  #chunks: string[] | null = [];
  /** Entries in the last chunk. */
  #lastChunkSize = 0;
  /** The whole roster as one `presence` frame, for full-mode followers; `null` when stale. */
  #full: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The next slice of a flush in progress. */
  #slice: ReturnType<typeof setTimeout> | undefined;
  #flushing = false;
  #closed = false;
  /** When the last flush ended, and when the roster last changed (`performance.now()`). */
  #lastFlushEnd = -Infinity;
  #lastChangeAt = -Infinity;

  /** Whether a user is in the roster. */
  has(userId: string): boolean {
    return this.#roster.has(userId);
  }

  /** The name of a user in the roster. */
  name(userId: string): string | undefined {
    return this.#roster.get(userId)?.name;
  }

  /** Every user id in the roster. */
  userIds(): IterableIterator<string> {
    return this.#roster.keys();
  }

  /** How many users are online. */
  get size(): number {
    return this.#roster.size;
  }

  /** Puts a user in the roster or renames them; `true` when something changed. */
  set(userId: string, name: string): boolean {
    const known = this.#roster.get(userId);
    if (known?.name === name) return false;
    const json = JSON.stringify({ user_id: userId, name });
    this.#roster.set(userId, { name, json });
    if (known !== undefined) this.#chunks = null;
    else if (this.#chunks !== null) this.#append(this.#chunks, json);
    this.#changed(userId, name);
    return true;
  }

  /** Takes a user out of the roster; `true` when they were in it. */
  delete(userId: string): boolean {
    if (!this.#roster.delete(userId)) return false;
    this.#chunks = null;
    this.#changed(userId, null);
    return true;
  }

  /** Starts sending roster updates to a presence socket, beginning with a snapshot. */
  follow(connection: Connection): void {
    this.#followers.add(connection);
    connection.seenSeq = this.#seq;
    this.#sendSnapshot(connection);
  }

  /** Stops sending to a socket. */
  unfollow(connection: Connection): void {
    this.#followers.delete(connection);
  }

  /** Stops flushing: changes after this reach no one. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#slice);
    this.#timer = undefined;
    this.#flushing = false;
  }

  #changed(userId: string, name: string | null): void {
    this.#full = null;
    this.#pending.delete(userId);
    this.#pending.set(userId, { name, seq: ++this.#seq });
    this.#lastChangeAt = performance.now();
    this.#schedule();
  }

  /** Arms the flush timer, even when the flush is due now, so that changes made in the same turn go out together. */
  #schedule(): void {
    if (this.#timer !== undefined || this.#flushing || this.#closed) return;
    this.#arm(this.#dueAt() - performance.now());
  }

  #arm(waitMs: number): void {
    // Whole milliseconds, rounded up, as timers count them: a flush is never early, and a re-arm never spins.
    this.#timer = setTimeout(() => this.#flushWhenDue(), Math.max(0, Math.ceil(waitMs)));
  }

  /** Flushes, or waits on while changes keep coming and the interval has not run out. */
  #flushWhenDue(): void {
    this.#timer = undefined;
    const waitMs = this.#dueAt() - performance.now();
    if (waitMs > 0) this.#arm(waitMs);
    else this.#flush();
  }

  /**
   * When the pending changes go out: an interval after the last flush
   * ended, or half an interval (at least {@link FLUSH_INTERVAL_MS}) after it
   * once the changes have paused for {@link QUIET_MS}. A sweep for sockets
   * that fell behind, with no change to send, waits the whole interval.
   */
  #dueAt(): number {
    const intervals = Math.max(1, this.#followers.size / FOLLOWERS_PER_INTERVAL);
    const interval = Math.min(MAX_FLUSH_INTERVAL_MS, FLUSH_INTERVAL_MS * intervals);
    const latest = this.#lastFlushEnd + interval;
    if (this.#pending.size === 0) return latest;
    const earliest = this.#lastFlushEnd + Math.max(FLUSH_INTERVAL_MS, interval / 2);
    return Math.min(latest, Math.max(this.#lastChangeAt + QUIET_MS, earliest));
  }

  /**
   * Sends the changes since the last flush, {@link FLUSH_SLICE} followers per
   * turn of the event loop, so that requests and messages are not held up
   * behind thousands of sends. The next flush starts after this one ends.
   */
  #flush(): void {
    const changes = [...this.#pending];
    this.#pending.clear();
    const flushSeq = this.#seq;
    const diff = changes.length > 0 ? diffFrames(changes) : null;
    const firstSeq = changes[0]?.[1].seq ?? Infinity;
    const followers = [...this.#followers];
    let behind = false;
    this.#flushing = true;
    const sendSlice = (start: number) => {
      const end = Math.min(start + FLUSH_SLICE, followers.length);
      for (let i = start; i < end; i++) {
        const connection = followers[i];
        // Gone, or up to date: followed since these changes (its snapshot holds them) and not behind.
        if (!this.#followers.has(connection) || (!connection.stale && connection.seenSeq >= flushSeq)) continue;
        const seenSeq = connection.seenSeq;
        connection.seenSeq = flushSeq;
        if (connection.backlogged) {
          connection.stale ||= diff !== null;
          behind ||= connection.stale;
        } else if (connection.stale || (!connection.diff && diff !== null)) {
          connection.stale = false;
          this.#sendSnapshot(connection);
        } else if (diff === null) {
          continue;
        } else if (seenSeq < firstSeq) {
          for (const frame of diff) connection.send(frame);
        } else {
          // Followed after some of these changes: its snapshot already holds them.
          for (const frame of diffFrames(changes.filter(([, change]) => change.seq > seenSeq))) connection.send(frame);
        }
      }
      if (end < followers.length) {
        this.#slice = setTimeout(() => sendSlice(end), 0);
        return;
      }
      this.#flushing = false;
      this.#lastFlushEnd = performance.now();
      if (behind || this.#pending.size > 0) this.#schedule();
    };
    sendSlice(0);
  }

  #sendSnapshot(connection: Connection): void {
    if (this.#chunks === null) {
      const chunks: string[] = [];
      this.#lastChunkSize = 0;
      for (const entry of this.#roster.values()) this.#append(chunks, entry.json);
      this.#chunks = chunks;
    }
    if (!connection.diff) {
      this.#full ??= `{"type":"presence","users":[${this.#chunks.join(",")}]}`;
      connection.send(this.#full);
      return;
    }
    connection.send(`{"type":"presence","users":[${this.#chunks[0] ?? ""}]}`);
    for (let i = 1; i < this.#chunks.length; i++) {
      connection.send(`{"type":"presence_diff","joins":[${this.#chunks[i]}],"leaves":[]}`);
    }
  }

  #append(chunks: string[], json: string): void {
    if (chunks.length === 0 || this.#lastChunkSize === ROSTER_CHUNK) {
      chunks.push(json);
      this.#lastChunkSize = 1;
    } else {
      chunks[chunks.length - 1] += `,${json}`;
      this.#lastChunkSize++;
    }
  }
}

/** The changes as `presence_diff` frames of at most {@link ROSTER_CHUNK} users each. */
function diffFrames(changes: [string, { name: string | null }][]): string[] {
  const frames: string[] = [];
  for (let start = 0; start < changes.length; start += ROSTER_CHUNK) {
    const joins: RosterEntry[] = [];
    const leaves: string[] = [];
    for (const [user_id, { name }] of changes.slice(start, start + ROSTER_CHUNK)) {
      if (name === null) leaves.push(user_id);
      else joins.push({ user_id, name });
    }
    frames.push(JSON.stringify({ type: "presence_diff", joins, leaves }));
  }
  return frames;
}
