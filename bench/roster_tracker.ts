/**
 * What each presence socket of a join storm believes the roster is, kept as
 * one bitmap per socket over the storm's own users, so "every socket sees
 * everyone" is a counter compare after each frame. Users the server lists
 * from elsewhere (say, a shared PostgreSQL) are ignored.
 *
 * @example
 * ```ts
 * const tracker = new RosterTracker(ids, "diff");
 * socket.onmessage = (event) => tracker.receive(0, event.data);
 * await tracker.firstFrame(0);
 * ```
 *
 * @module
 */
import type { PresenceMode } from "./clients.ts";

interface PresenceFrame {
  type: string;
  users?: { user_id: string }[];
  joins?: { user_id: string }[];
  leaves?: string[];
}

const DIFF_PREFIX = '{"type":"presence_diff"';
// The shortest roster entry: {"user_id":"<36-char uuid>","name":"x"} plus a comma.
const MIN_ENTRY_CHARS = 62;

/** Rosters of a storm's presence sockets, one socket per user. */
export class RosterTracker {
  /** Characters of presence frames received (bytes: ids and names are ASCII). */
  bytes = 0;
  /** Presence frames received. */
  frames = 0;
  /** Of those, whole-roster `presence` frames (the rest are diffs). */
  snapshots = 0;
  #size: number;
  #mode: PresenceMode;
  #index = new Map<string, number>();
  #rosters: Uint8Array[] = [];
  #counts: Int32Array;
  #full = 0;
  #first: PromiseWithResolvers<void>[] = [];
  #whenAllFull: (() => void) | undefined;

  constructor(ids: string[], mode: PresenceMode) {
    this.#size = ids.length;
    this.#mode = mode;
    ids.forEach((id, i) => this.#index.set(id, i));
    this.#counts = new Int32Array(ids.length);
  }

  /** Sockets whose roster holds every storm user. */
  get fullSockets(): number {
    return this.#full;
  }

  /** Resolves when socket `i` receives its first frame (its snapshot). */
  firstFrame(i: number): Promise<void> {
    return this.#firstOf(i).promise;
  }

  /** Resolves true once every socket has the whole roster, or false after `timeoutMs`. */
  waitAllFull(timeoutMs: number): Promise<boolean> {
    if (this.#full === this.#size) return Promise.resolve(true);
    const { promise, resolve } = Promise.withResolvers<boolean>();
    const timer = setTimeout(() => {
      this.#whenAllFull = undefined;
      resolve(false);
    }, Math.max(0, timeoutMs));
    this.#whenAllFull = () => {
      clearTimeout(timer);
      resolve(true);
    };
    return promise;
  }

  /** Applies a frame received on socket `i`. */
  receive(i: number, frame: string): void {
    this.bytes += frame.length;
    this.frames++;
    const wasFull = this.#counts[i] === this.#size;
    this.#apply(i, frame);
    const isFull = this.#counts[i] === this.#size;
    if (wasFull !== isFull) this.#full += isFull ? 1 : -1;
    this.#firstOf(i).resolve();
    if (this.#full === this.#size && this.#whenAllFull !== undefined) {
      this.#whenAllFull();
      this.#whenAllFull = undefined;
    }
  }

  #apply(i: number, frame: string): void {
    const roster = this.#rosters[i] ??= new Uint8Array(this.#size);
    // A full-mode frame too short to list everyone cannot complete the roster:
    // skipping its parse keeps the generator afloat while the server sends O(N²) bytes.
    if (this.#mode === "full" && !frame.startsWith(DIFF_PREFIX) && frame.length < this.#size * MIN_ENTRY_CHARS) {
      this.snapshots++;
      this.#counts[i] = 0;
      return;
    }
    const parsed = JSON.parse(frame) as PresenceFrame;
    if (parsed.type === "presence") {
      this.snapshots++;
      roster.fill(0);
      this.#counts[i] = 0;
      for (const user of parsed.users ?? []) this.#set(i, roster, user.user_id, 1);
    } else if (parsed.type === "presence_diff") {
      for (const user of parsed.joins ?? []) this.#set(i, roster, user.user_id, 1);
      for (const id of parsed.leaves ?? []) this.#set(i, roster, id, 0);
    }
  }

  #set(i: number, roster: Uint8Array, id: string, present: 0 | 1): void {
    const user = this.#index.get(id);
    if (user === undefined || roster[user] === present) return;
    roster[user] = present;
    this.#counts[i] += present ? 1 : -1;
  }

  #firstOf(i: number): PromiseWithResolvers<void> {
    return this.#first[i] ??= Promise.withResolvers<void>();
  }
}
