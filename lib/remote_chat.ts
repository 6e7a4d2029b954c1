/**
 * Where users have chat sockets on other instances, as announced through the
 * bus: what a DM to them needs to cross over, and what `PEER_OFFLINE` checks
 * beyond this instance.
 *
 * @example
 * ```ts
 * const remote = new RemoteChat();
 * remote.set(userId, instanceId, true);
 * remote.instancesOf(userId); // Set { instanceId }
 * ```
 */
export class RemoteChat {
  #byUser = new Map<string, Set<string>>();

  /** The other instances where the user has a chat socket. */
  instancesOf(userId: string): ReadonlySet<string> | undefined {
    // A single instance has no remote chat sockets: skip hashing the id.
    return this.#byUser.size === 0 ? undefined : this.#byUser.get(userId);
  }

  /** Records that the user's chat sockets on an instance opened (`true`) or are all gone. */
  set(userId: string, instanceId: string, open: boolean): void {
    let instances = this.#byUser.get(userId);
    if (open) {
      if (!instances) this.#byUser.set(userId, instances = new Set());
      instances.add(instanceId);
    } else if (instances?.delete(instanceId) && instances.size === 0) {
      this.#byUser.delete(userId);
    }
  }

  /** Forgets every chat socket of an instance that died. */
  forgetInstance(instanceId: string): void {
    for (const userId of [...this.#byUser.keys()]) this.set(userId, instanceId, false);
  }

  /** Replaces everything with locations read from the tables. */
  replace(locations: { user_id: string; instance_id: string }[]): void {
    this.#byUser.clear();
    for (const { user_id, instance_id } of locations) this.set(user_id, instance_id, true);
  }
}
