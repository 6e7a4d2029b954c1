/** How long a change is remembered; a re-read of the tables that took longer is not applied. */
export const CHANGE_MEMORY_MS = 5 * 60_000;

/**
 * When each user last changed through an event, for the last
 * {@link CHANGE_MEMORY_MS}, so that a re-read of the tables that started
 * before an event does not undo it. Entries are kept in the order they were
 * written, so each write forgets the ones that aged out from the front: memory
 * follows the users who changed within the window, not every user ever seen.
 *
 * @example
 * ```ts
 * changes.touch(userId, Date.now());
 * if (!changes.since(userId, readStartedAt - 1000)) feed.set(userId, name);
 * ```
 */
export class RecentChanges {
  #at = new Map<string, number>();

  /** Records a change of `userId` at `now`. */
  touch(userId: string, now = Date.now()): void {
    this.#at.delete(userId);
    this.#at.set(userId, now);
    for (const [oldest, at] of this.#at) {
      if (at > now - CHANGE_MEMORY_MS) break;
      this.#at.delete(oldest);
    }
  }

  /** Whether `userId` changed at or after `time`. */
  since(userId: string, time: number): boolean {
    return (this.#at.get(userId) ?? -Infinity) >= time;
  }

  /** How many users are remembered. */
  get size(): number {
    return this.#at.size;
  }
}
