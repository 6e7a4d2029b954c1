/**
 * The roster as the presence socket describes it: a full `presence` frame
 * replaces it, a `presence_diff` adds, renames and removes users. Frames
 * produce a new map, so a signal holding it notices the change.
 *
 * @example
 * ```ts
 * roster.value = applyPresence(roster.value, JSON.parse(event.data));
 * ```
 *
 * @module
 */
import type { PresenceServerFrame, RosterEntry } from "../protocol.ts";
import type { Activity } from "./conversations.ts";

/** Who is online: user id → display name. */
export type Roster = ReadonlyMap<string, string>;

/** The roster after a presence frame; anything else leaves it as it was. */
export function applyPresence(roster: Roster, frame: PresenceServerFrame): Roster {
  if (frame.type === "presence") return new Map(frame.users.map((user) => [user.user_id, user.name]));
  if (frame.type !== "presence_diff") return roster;
  const next = new Map(roster);
  for (const user of frame.joins) next.set(user.user_id, user.name);
  for (const userId of frame.leaves) next.delete(userId);
  return next;
}

/** A roster entry with what search compares against. */
export interface Peer extends RosterEntry {
  /** The name lower-cased and without accents. */
  key: string;
  /** In the roster; an offline peer is listed for the conversation with them. */
  online: boolean;
}

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

/** The text a search compares: lower case, without accents. */
export function searchKey(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}

/**
 * Everyone in the roster but `me`, and everyone I have a conversation with
 * even when they went offline (so that it can still be read), in list order:
 * people with a conversation first, most recent activity first, then
 * everyone else by name.
 */
export function listPeers(roster: Roster, me: string | null, lastActivity: ReadonlyMap<string, Activity>): Peer[] {
  const peers: Peer[] = [];
  for (const [userId, name] of roster) {
    if (userId !== me) peers.push({ user_id: userId, name, key: searchKey(name), online: true });
  }
  for (const [userId, { peerName }] of lastActivity) {
    if (userId !== me && !roster.has(userId)) {
      peers.push({ user_id: userId, name: peerName, key: searchKey(peerName), online: false });
    }
  }
  return peers.sort((a, b) => {
    const activity = (lastActivity.get(b.user_id)?.at ?? 0) - (lastActivity.get(a.user_id)?.at ?? 0);
    return activity || collator.compare(a.name, b.name) || (a.user_id < b.user_id ? -1 : 1);
  });
}

/** The peers whose name contains the query, ignoring case and accents. */
export function filterPeers(peers: Peer[], query: string): Peer[] {
  const needle = searchKey(query.trim());
  return needle === "" ? peers : peers.filter((peer) => peer.key.includes(needle));
}
