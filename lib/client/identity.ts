/**
 * The visitor's anonymous identity — a UUID and a display name — kept in
 * `localStorage` so that it survives reloads and new tabs. The server binds
 * the id to this browser on first registration (an HttpOnly cookie proves
 * it later).
 *
 * @example
 * ```ts
 * const identity = loadIdentity(localStorage) ?? createIdentity();
 * saveIdentity(localStorage, identity);
 * ```
 *
 * @module
 */
import type { RegisterBody } from "../protocol.ts";
import { randomName } from "./names.ts";

/** Who this browser is: the body it registers with. */
export type Identity = RegisterBody;

/** The `localStorage` key of the identity. */
export const IDENTITY_KEY = "quick-chat:identity";

/** The stored identity, or `null` when there is none or it is unreadable. */
export function loadIdentity(storage: Storage | null): Identity | null {
  try {
    const value = JSON.parse(storage?.getItem(IDENTITY_KEY) ?? "null");
    if (typeof value?.user_id === "string" && typeof value?.name === "string" && value.user_id && value.name) {
      return { user_id: value.user_id, name: value.name };
    }
  } catch {
    // Unreadable or blocked storage: start afresh.
  }
  return null;
}

/** Stores the identity; storage that refuses (private modes, quotas) only costs persistence. */
export function saveIdentity(storage: Storage | null, identity: Identity): void {
  try {
    storage?.setItem(IDENTITY_KEY, JSON.stringify(identity));
  } catch {
    // The identity then lives as long as the tab.
  }
}

/** A new identity: a random UUID and, unless given, a random friendly name. */
export function createIdentity(name: string = randomName()): Identity {
  return { user_id: crypto.randomUUID(), name };
}
